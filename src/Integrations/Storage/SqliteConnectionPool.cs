using System.Collections.Concurrent;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Open SQLite connections kept for the next caller, each with its compiled statements. Opening is cheap with
/// Microsoft.Data.Sqlite's own pool, but its statements die with each command; keeping the connections ourselves is what
/// lets a statement be compiled once. At most <see cref="MaxIdle"/> wait here; more than that are closed when given back.
/// </summary>
internal sealed class SqliteConnectionPool(string connectionString)
{
    /// <summary>Idle connections kept: enough for the readers and the writer of a busy node, few enough to stay small.</summary>
    public const int MaxIdle = 16;

    private readonly ConcurrentBag<PooledSqliteConnection> _idle = [];
    private volatile bool _closed;

    /// <summary>An idle connection, or a new one that is not open yet.</summary>
    public (PooledSqliteConnection Connection, bool IsNew) Rent() =>
        _idle.TryTake(out var connection) ? (connection, false) : (new PooledSqliteConnection(connectionString, this), true);

    /// <summary>Keeps <paramref name="connection"/> for the next caller; false when it must be closed instead.</summary>
    public bool TryTakeBack(PooledSqliteConnection connection)
    {
        if (_closed || _idle.Count >= MaxIdle || !connection.IsReusable)
        {
            return false;
        }

        _idle.Add(connection);
        return true;
    }

    /// <summary>Closes the idle connections; later ones are closed as soon as they are given back.</summary>
    public void Close()
    {
        _closed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.CloseForGood();
        }
    }
}
