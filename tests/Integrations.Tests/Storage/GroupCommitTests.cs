using System.Data.Common;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// <see cref="StateDatabase.WriteGroupedAsync{T}"/>: writes due at the same moment share one transaction, and each
/// caller hears back only once its own write is committed. A write whose work waits on a gate holds its transaction
/// open, so the writes queued meanwhile are known to be due at the same moment.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-group-").FullName;
    private StateDatabase _database = null!;
    private TestStateStore _store = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStateStore.CreateAsync(_root);
        _database = new StateDatabase(Options.Create(_store.Options()), [new Schema()], new TestHostEnvironment(_root));
        await _database.InitializeAsync(Token);
    }

    [Fact]
    public async Task WriteGroupedAsync_ManyConcurrentWriters_ShareTwoTransactionsAndAllRowsAreKept()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "first", gate.Task), Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 0, "the first write to be taken into a transaction");
        var before = _database.CommittedWrites;

        var others = Enumerable.Range(0, 40).Select(i => Task.Run(() => _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, $"w{i}"), Token), Token)).ToList();
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 40, "forty writes waiting behind the first");
        gate.SetResult();
        await Wait.ForAsync(Task.WhenAll(others.Append(first)), "every write to be committed");

        // The first write's transaction, then one for the forty that queued while it was open.
        Assert.Equal(2L, _database.CommittedWrites - before);
        Assert.Equal(41L, await CountAsync());
    }

    [Fact]
    public async Task WriteGroupedAsync_NeighbourStillRunning_CallerHearsNothingUntilTheSharedCommit()
    {
        var holdFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", holdFirst.Task), Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");

        var holdNeighbour = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var neighbourRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "mine"), Token);
        var neighbour = _database.WriteGroupedAsync(async (c, t) =>
        {
            neighbourRunning.SetResult();
            return await InsertAsync(c, t, "neighbour", holdNeighbour.Task);
        }, Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 2, "both writes waiting");
        holdFirst.SetResult();
        await Wait.ForAsync(blocker, "the blocker's commit");
        await Wait.ForAsync(neighbourRunning.Task, "the neighbour to run in the shared transaction, after mine");

        // My row is written but its transaction is not committed: I have not been told, and nobody else sees it.
        Assert.False(mine.IsCompleted);
        Assert.Equal(1L, await CountAsync());

        holdNeighbour.SetResult();
        await Wait.ForAsync(Task.WhenAll(mine, neighbour), "the shared commit");
        Assert.Equal(3L, await CountAsync());
    }

    [Fact]
    public async Task WriteGroupedAsync_OneWriteThrows_OnlyItsCallerFailsAndItsRowsAreUndone()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");

        var before = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "before"), Token);
        var bad = _database.WriteGroupedAsync(async (c, t) =>
        {
            await InsertAsync(c, t, "half-done");
            // The same name twice breaks the table's key: the engine refuses this write only.
            return await InsertAsync(c, t, "before");
        }, Token);
        var after = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "after"), Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 3, "three writes waiting");
        var committed = _database.CommittedWrites;
        gate.SetResult();

        await Wait.ForAsync(Task.WhenAll(blocker, before, after), "the good writes");
        var failure = await Assert.ThrowsAnyAsync<DbException>(() => bad);
        Assert.True(failure is SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" }, failure.Message); // a unique key
        Assert.Equal(["after", "before", "blocker"], await NamesAsync());
        // The blocker's transaction, then one shared by the three.
        Assert.Equal(2L, _database.CommittedWrites - committed);
    }

    [Fact]
    public async Task WriteGroupedAsync_WriteAloneInItsTransactionThrows_ItsCallerFailsItsRowsAreUndoneAndTheNextWriteIsKept()
    {
        await _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "first"), Token);

        var failure = await Assert.ThrowsAnyAsync<DbException>(() => _database.WriteGroupedAsync(async (c, t) =>
        {
            await InsertAsync(c, t, "half-done");
            return await InsertAsync(c, t, "first");
        }, Token));
        await _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "next"), Token);

        Assert.True(failure is SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" }, failure.Message); // a unique key
        Assert.Equal(["first", "next"], await NamesAsync());
    }

    [Fact]
    public async Task WriteGroupedAsync_WriteEndsTheSharedTransaction_NeighboursAreCommittedAlone()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");

        var before = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "before"), Token);
        // Ends the transaction under everyone (as an engine does on some faults): nothing shared can be committed.
        var breaker = _database.WriteGroupedAsync(async (c, t) =>
        {
            await InsertAsync(c, t, "breaker");
            return await c.ExecuteAsync("ROLLBACK", t, Token);
        }, Token);
        var after = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "after"), Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 3, "three writes waiting");
        gate.SetResult();

        await Wait.ForAsync(Task.WhenAll(blocker, before, after), "the neighbours, each alone");
        await Assert.ThrowsAnyAsync<Exception>(() => breaker);
        Assert.Equal(["after", "before", "blocker"], await NamesAsync());
    }

    [Fact]
    public async Task WriteGroupedAsync_CancelledWhileWaiting_IsNeverWritten()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");

        using var cancel = new CancellationTokenSource();
        var cancelled = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "cancelled"), cancel.Token);
        var kept = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "kept"), Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        gate.SetResult();
        await Wait.ForAsync(Task.WhenAll(blocker, kept), "the other writes");
        Assert.Equal(["blocker", "kept"], await NamesAsync());
    }

    [Fact]
    public async Task WriteGroupedAsync_AlreadyCancelled_IsRefusedAtOnce()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "never"), cancel.Token));

        Assert.Equal(0L, await CountAsync());
    }

    [Fact]
    public async Task DisposeAsync_WritesWaiting_AreCommittedBeforeItReturnsAndLaterWritesRunAlone()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");
        var waiting = Enumerable.Range(0, 5).Select(i => _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, $"w{i}"), Token)).ToList();

        var disposing = _database.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        gate.SetResult();
        await Wait.ForAsync(disposing, "the drain");

        Assert.All(waiting.Append(blocker), w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Equal(6L, await CountAsync());
        await Wait.ForAsync(_database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "late"), Token), "a write after the drain");
        Assert.Equal(7L, await CountAsync());
    }

    private static async Task<int> InsertAsync(DbConnection c, DbTransaction t, string name, Task? holdUntil = null)
    {
        var inserted = await c.ExecuteAsync("INSERT INTO things (name) VALUES (@name)", t, Token, ("@name", name));
        if (holdUntil is not null)
        {
            await holdUntil.WaitAsync(Token);
        }

        return inserted;
    }

    private async Task<long> CountAsync() =>
        (long)(await _database.ReadAsync(c => c.ScalarAsync("SELECT count(*) FROM things", null, Token), Token))!;

    private Task<List<string>> NamesAsync() =>
        _database.ReadAsync(c => c.QueryAsync("SELECT name FROM things ORDER BY name", null, r => r.GetString(0), Token), Token);

    public async ValueTask DisposeAsync()
    {
        // Bounded: a test that failed while a write still held its gate must not hang the run here.
        await Wait.ForAsync(_database.DisposeAsync().AsTask(), "the grouped writes to drain");
        SqliteConnection.ClearAllPools();
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private sealed class Schema : IStateSchema
    {
        public IEnumerable<Migration> Migrations => [new(100, "things", ["CREATE TABLE things (name TEXT NOT NULL PRIMARY KEY)"])];
    }
}
