using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Hosting;

/// <summary>
/// Runs the host, first making sure the state store can be created and written: a data folder that
/// is read-only, full or not a folder stops the bot with one line naming the folder and the problem
/// and exit code 2, instead of an abort and a stack trace.
/// </summary>
public static class StartupChecks
{
    public const int StorageUnusableExitCode = 2;

    public static async Task<int> RunCheckedAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var database = app.Services.GetRequiredService<StateDatabase>();
        try
        {
            await database.InitializeAsync(CancellationToken.None);
            await database.CheckWritableAsync(CancellationToken.None);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Describe(ex) is { } problem)
        {
            await Console.Error.WriteLineAsync(
                $"chatops: cannot use the data folder {Path.GetDirectoryName(database.DataSource)} (state store {Path.GetFileName(database.DataSource)}): {problem}.");
            return StorageUnusableExitCode;
        }
    }

    private static string? Describe(Exception exception) =>
        StorageFault.From(exception) is { } fault
            ? fault.Reason
            : exception switch
            {
                // Creating the folder: a path through a file, or a folder this user may not write.
                UnauthorizedAccessException or IOException => exception.Message.TrimEnd('.'),
                _ => null,
            };
}
