using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Group commit: writes that are due at the same moment share one transaction, so many callers pay for one
/// commit instead of queueing one by one behind the write lock. One loop takes what is waiting (at most
/// <see cref="MaxBatch"/>), runs each write inside its own savepoint of one transaction, and commits. A caller's
/// task completes only once that commit is done, so whatever it acknowledges is durable. A write that throws is
/// rolled back to its savepoint and fails its own caller alone; when the shared transaction itself cannot be
/// committed, every write in it is tried again in a transaction of its own, so one bad row never fails its
/// neighbours. No write waits for a batch to fill: the next batch is whatever queued while the last one committed.
/// </summary>
internal sealed class WriteBatcher : IAsyncDisposable
{
    /// <summary>The most writes one transaction carries, so one commit never holds the write lock for long.</summary>
    public const int MaxBatch = 64;

    // The same name for every write: each savepoint is released (or rolled back and released) before the next is set.
    // Set with statements of our own, so that SQLite compiles each once per connection rather than at every write.
    private const string Savepoint = "SAVEPOINT grouped_write";
    private const string Release = "RELEASE SAVEPOINT grouped_write";
    private const string RollBack = "ROLLBACK TO SAVEPOINT grouped_write";

    private readonly Channel<GroupedWrite> _queue = Channel.CreateUnbounded<GroupedWrite>();
    private readonly StateDatabase _database;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public WriteBatcher(StateDatabase database, ILogger logger)
    {
        _database = database;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Writes waiting for the next transaction (for tests and diagnostics).</summary>
    public int Waiting => _queue.Reader.Count;

    /// <summary>
    /// Runs <paramref name="work"/> in the next shared transaction and returns its result once that transaction is
    /// committed. Cancelled while it waits, it is never run. After <see cref="DisposeAsync"/> it runs alone.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var write = new GroupedWrite<T>(work, cancellationToken);
        return _queue.Writer.TryWrite(write) ? write.Completion : _database.WriteAsync(work, cancellationToken);
    }

    /// <summary>Stops taking writes and waits until every write already taken is committed (or has failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<GroupedWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                // One cancelled while it waited is dropped here, never run.
                if (write.TryStart())
                {
                    batch.Add(write);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task CommitAsync(List<GroupedWrite> batch)
    {
        try
        {
            await _database.WriteAsync((connection, transaction) => RunEachAsync(batch, connection, transaction), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The loop is the edge for every caller in the batch: each hears its own outcome below.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (batch.Count == 1)
            {
                batch[0].Fail(exception);
                return;
            }

            Log.GroupedWriteRetriedAlone(_logger, batch.Count, exception);
            foreach (var write in batch)
            {
                await RunAloneAsync(write).ConfigureAwait(false);
            }

            return;
        }

        Log.GroupedWritesCommitted(_logger, batch.Count);
        foreach (var write in batch)
        {
            write.Finish();
        }
    }

    private static async Task<int> RunEachAsync(List<GroupedWrite> batch, DbConnection connection, DbTransaction transaction)
    {
        if (batch.Count == 1)
        {
            // Alone in its transaction: if it throws, undoing the transaction undoes it and nothing else, and its caller
            // hears the failure (CommitAsync), so it needs no savepoint of its own.
            await batch[0].RunAsync(connection, transaction).ConfigureAwait(false);
            return 1;
        }

        foreach (var write in batch)
        {
            await connection.ExecuteAsync(Savepoint, transaction, CancellationToken.None).ConfigureAwait(false);
            try
            {
                await write.RunAsync(connection, (DbTransaction)transaction).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // This write alone is undone and its caller told; the others in the transaction go on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                // If the engine has already ended the whole transaction, this throws and the batch is tried write by write.
                await connection.ExecuteAsync(RollBack, transaction, CancellationToken.None).ConfigureAwait(false);
                write.Refuse(exception);
            }

            await connection.ExecuteAsync(Release, transaction, CancellationToken.None).ConfigureAwait(false);
        }

        return batch.Count;
    }

    private async Task RunAloneAsync(GroupedWrite write)
    {
        write.Reset();
        try
        {
            await _database.WriteAsync(async (connection, transaction) =>
            {
                await write.RunAsync(connection, transaction).ConfigureAwait(false);
                return 0;
            }, write.CancellationToken).ConfigureAwait(false);
            write.Finish();
        }
#pragma warning disable CA1031 // Its caller hears it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            write.Fail(exception);
        }
    }
}
