using System.Data.Common;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// What replicas sharing one store need beyond reads and writes: claims that do not queue behind the write lock where the
/// engine can lock rows, and notifications of commits where it can send them.
/// </summary>
public sealed partial class StateDatabase
{
    /// <summary>Whether other processes hear this store's commits (<see cref="NotifyAsync"/>, <see cref="ListenAsync"/>); false: they poll.</summary>
    public bool CanNotify => _dialect.CanNotify;

    /// <summary>The statement that reads the database server's clock in Unix milliseconds; null when the store shares this machine's clock (SQLite).</summary>
    public string? ServerClockSql => _dialect.ServerClockSql;

    /// <summary>
    /// Runs a queue's claim. Where the engine locks rows (PostgreSQL) it runs in a transaction of its own without the write
    /// lock, so replicas claim side by side; its SELECT must end with <see cref="LockSkipping"/> and its UPDATE must check
    /// again that the row is still claimable, since other writers no longer wait for it. Elsewhere (SQLite) it is a grouped
    /// write, behind the one writer. Returns once committed.
    /// </summary>
    public Task<T> ClaimAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _dialect.LocksRows ? ClaimAloneAsync(work, cancellationToken) : WriteGroupedAsync(work, cancellationToken);
    }

    /// <summary>What ends a claim's SELECT: lock the rows of <paramref name="alias"/> it returns, pass over rows another claim holds (empty on SQLite).</summary>
    public string LockSkipping(string alias) => _dialect.LockSkipping(alias);

    /// <summary>
    /// Tells replicas listening on <paramref name="channel"/> (<see cref="ListenAsync"/>) once <paramref name="transaction"/>
    /// commits; nothing if it does not. Nothing at all on an engine that cannot (<see cref="CanNotify"/>).
    /// </summary>
    public Task NotifyAsync(DbConnection connection, DbTransaction transaction, string channel, CancellationToken cancellationToken) =>
        _dialect.NotifyAsync(connection, transaction, channel, cancellationToken);

    /// <summary>
    /// Opens a connection of its own and listens on <paramref name="channels"/> until it breaks (it throws then) or
    /// <paramref name="cancellationToken"/> is cancelled: <paramref name="listening"/> once it listens, <paramref name="heard"/>
    /// for each notification. Only where <see cref="CanNotify"/>.
    /// </summary>
    public async Task ListenAsync(IReadOnlyCollection<string> channels, Action listening, Action<string> heard, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await _dialect.ListenAsync(connection, channels, listening, heard, cancellationToken);
    }

    private Task<T> ClaimAloneAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        CommitAsync(_dialect.BeginClaimAsync, work, cancellationToken);
}
