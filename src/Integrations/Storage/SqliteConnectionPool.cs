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
    private PooledSqliteConnection? _writer;
    private volatile bool _closed;

    /// <summary>An idle connection, or a new one that is not open yet.</summary>
    public (PooledSqliteConnection Connection, bool IsNew) Rent() =>
        _idle.TryTake(out var connection) ? (connection, false) : (new PooledSqliteConnection(connectionString, this), true);

    /// <summary>
    /// A connection for a write transaction: the one the last write used when it is free. SQLite empties a connection's page
    /// cache whenever another connection wrote since its last transaction, so writes kept on one connection find the pages
    /// they touch, most of them the same ones each time, already read.
    /// </summary>
    public (PooledSqliteConnection Connection, bool IsNew) RentWriter()
    {
        var (connection, isNew) = Interlocked.Exchange(ref _writer, null) is { } writer ? (writer, false) : Rent();
        connection.Writes = true;
        return (connection, isNew);
    }

    /// <summary>Keeps <paramref name="connection"/> for the next caller; false when it must be closed instead.</summary>
    public bool TryTakeBack(PooledSqliteConnection connection)
    {
        if (_closed || !connection.IsReusable)
        {
            return false;
        }

        if (connection.Writes)
        {
            connection.Writes = false;
            if (Interlocked.CompareExchange(ref _writer, connection, null) is null)
            {
                return PutAway();
            }
        }

        if (_idle.Count >= MaxIdle)
        {
            return false;
        }

        _idle.Add(connection);
        return PutAway();
    }

    /// <summary>Closes the idle connections; later ones are closed as soon as they are given back.</summary>
    public void Close()
    {
        _closed = true;
        CloseIdle();
    }

    // True either way: the pool has the connection, or (given back while Close ran, and put away after Close emptied the
    // pool) has just closed it for good, so its caller must not close it again.
    private bool PutAway()
    {
        if (_closed)
        {
            CloseIdle();
        }

        return true;
    }

    private void CloseIdle()
    {
        Interlocked.Exchange(ref _writer, null)?.CloseForGood();
        while (_idle.TryTake(out var connection))
        {
            connection.CloseForGood();
        }
    }
}
