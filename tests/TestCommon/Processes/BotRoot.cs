using Microsoft.Data.Sqlite;

namespace ChatOps.TestCommon.Processes;

/// <summary>
/// A temporary folder for bots started as real processes (their state store and node data). Disposing
/// it stops any node process left running under it and deletes the folder, unless <see cref="Keep"/> asks
/// for it to stay so a failed run's log and data can be read.
/// </summary>
public sealed class BotRoot(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The bot's state store, for tests that read or change it while the bot is stopped.</summary>
    public string StateDatabase => System.IO.Path.Combine(Path, "state.db");

    /// <summary>Leaves the folder in place on dispose (its processes are stopped all the same).</summary>
    public bool Keep { get; set; }

    public void Dispose()
    {
        ProcessScanner.StopEverythingUnder(Path);
        SqliteConnection.ClearAllPools();
        if (Keep)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A just-killed bot or node may still hold a file: only a temp folder is left behind.
        }
    }
}
