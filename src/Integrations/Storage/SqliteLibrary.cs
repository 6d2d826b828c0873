using SQLitePCL;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Sets up the SQLite library once per process, before its first connection opens (SQLite accepts this only then).
/// Memory statistics are off: nothing reads them, and keeping them took a global lock around every allocation.
/// </summary>
internal static class SqliteLibrary
{
    private static readonly bool Configured = Configure();

    /// <summary>Whether this process configured the library; false when something opened a connection first and it kept SQLite's defaults.</summary>
    public static bool EnsureConfigured() => Configured;

    private static bool Configure()
    {
        Batteries_V2.Init();
        return raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
    }
}
