using System.Data.Common;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Data.Sqlite;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// <see cref="StateDatabase.WriteGroupedAsync{T}"/>: writes due at the same moment share one transaction, and each
/// caller hears back only once its own write is committed. A write whose work waits on a gate holds its transaction
/// open, so the writes queued meanwhile are known to be due at the same moment.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private TestDatabase _test = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private StateDatabase Database => _test.Database;

    public async ValueTask InitializeAsync() => _test = await TestDatabase.OpenAsync("group");

    [Fact]
    public async Task WriteGroupedAsync_ManyConcurrentWriters_ShareTwoTransactionsAndAllRowsAreKept()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "first", gate.Task), Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 0, "the first write to be taken into a transaction");
        var before = Database.CommittedWrites;

        var others = Enumerable.Range(0, 40).Select(i => Task.Run(() => Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, $"w{i}"), Token), Token)).ToList();
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 40, "forty writes waiting behind the first");
        gate.SetResult();
        await Wait.ForAsync(Task.WhenAll(others.Append(first)), "every write to be committed");

        // The first write's transaction, then one for the forty that queued while it was open.
        Assert.Equal(2L, Database.CommittedWrites - before);
        Assert.Equal(41L, await CountAsync());
    }

    [Fact]
    public async Task WriteGroupedAsync_NeighbourStillRunning_CallerHearsNothingUntilTheSharedCommit()
    {
        var holdFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", holdFirst.Task), Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");

        var holdNeighbour = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var neighbourRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "mine"), Token);
        var neighbour = Database.WriteGroupedAsync(async (c, t) =>
        {
            neighbourRunning.SetResult();
            return await InsertAsync(c, t, "neighbour", holdNeighbour.Task);
        }, Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 2, "both writes waiting");
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
        var blocker = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");

        var before = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "before"), Token);
        var bad = Database.WriteGroupedAsync(async (c, t) =>
        {
            await InsertAsync(c, t, "half-done");
            // The same name twice breaks the table's key: the engine refuses this write only.
            return await InsertAsync(c, t, "before");
        }, Token);
        var after = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "after"), Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 3, "three writes waiting");
        var committed = Database.CommittedWrites;
        gate.SetResult();

        await Wait.ForAsync(Task.WhenAll(blocker, before, after), "the good writes");
        var failure = await Assert.ThrowsAnyAsync<DbException>(() => bad);
        Assert.True(failure is SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" }, failure.Message); // a unique key
        Assert.Equal(["after", "before", "blocker"], await NamesAsync());
        // The blocker's transaction, then one shared by the three.
        Assert.Equal(2L, Database.CommittedWrites - committed);
    }

    [Fact]
    public async Task WriteGroupedAsync_WriteAloneInItsTransactionThrows_ItsCallerFailsItsRowsAreUndoneAndTheNextWriteIsKept()
    {
        await Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "first"), Token);

        var failure = await Assert.ThrowsAnyAsync<DbException>(() => Database.WriteGroupedAsync(async (c, t) =>
        {
            await InsertAsync(c, t, "half-done");
            return await InsertAsync(c, t, "first");
        }, Token));
        await Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "next"), Token);

        Assert.True(failure is SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" }, failure.Message); // a unique key
        Assert.Equal(["first", "next"], await NamesAsync());
    }

    [Fact]
    public async Task WriteGroupedAsync_WriteEndsTheSharedTransaction_NeighboursAreCommittedAlone()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");

        var before = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "before"), Token);
        // Ends the transaction under everyone (as an engine does on some faults): nothing shared can be committed.
        var breaker = Database.WriteGroupedAsync(async (c, t) =>
        {
            await InsertAsync(c, t, "breaker");
            return await c.ExecuteAsync("ROLLBACK", t, Token);
        }, Token);
        var after = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "after"), Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 3, "three writes waiting");
        gate.SetResult();

        await Wait.ForAsync(Task.WhenAll(blocker, before, after), "the neighbours, each alone");
        await Assert.ThrowsAnyAsync<Exception>(() => breaker);
        Assert.Equal(["after", "before", "blocker"], await NamesAsync());
    }

    [Fact]
    public async Task WriteGroupedAsync_CancelledWhileWaiting_IsNeverWritten()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");

        using var cancel = new CancellationTokenSource();
        var cancelled = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "cancelled"), cancel.Token);
        var kept = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "kept"), Token);
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

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "never"), cancel.Token));

        Assert.Equal(0L, await CountAsync());
    }

    [Fact]
    public async Task DisposeAsync_WritesWaiting_AreCommittedBeforeItReturnsAndLaterWritesRunAlone()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");
        var waiting = Enumerable.Range(0, 5).Select(i => Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, $"w{i}"), Token)).ToList();

        var disposing = Database.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        gate.SetResult();
        await Wait.ForAsync(disposing, "the drain");

        Assert.All(waiting.Append(blocker), w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Equal(6L, await CountAsync());
        await Wait.ForAsync(Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "late"), Token), "a write after the drain");
        Assert.Equal(7L, await CountAsync());
    }

    private static Task<int> InsertAsync(DbConnection c, DbTransaction t, string name, Task? holdUntil = null) => TestDatabase.InsertAsync(c, t, name, holdUntil);

    private async Task<long> CountAsync() =>
        (long)(await Database.ReadAsync(c => c.ScalarAsync("SELECT count(*) FROM things", null, Token), Token))!;

    private Task<List<string>> NamesAsync() =>
        Database.ReadAsync(c => c.QueryAsync("SELECT name FROM things ORDER BY name", null, r => r.GetString(0), Token), Token);

    public ValueTask DisposeAsync() => _test.DisposeAsync();
}
