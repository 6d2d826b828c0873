using System.Collections.Concurrent;
using System.Data.Common;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Storage.Notifications;

/// <summary>
/// On a real PostgreSQL database: what a transaction's writes notify (<see cref="StateDatabase.NotifyAsync"/>) is heard once
/// it commits, and a grouped write rolled back to its savepoint takes its own notification with it.
/// </summary>
public sealed class GroupedNotificationTests : IAsyncLifetime
{
    private TestDatabase _test = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private StateDatabase Database => _test.Database;

    public async ValueTask InitializeAsync() => _test = await TestDatabase.OpenAsync("notify", StorageProvider.Postgres);

    [Fact]
    public async Task Notify_WriteRolledBackToItsSavepoint_IsNotHeard_ItsNeighboursAreOnceCommitted()
    {
        var heard = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var listener = Database.ListenAsync(["undone", "kept", "marker"], () => listening.TrySetResult(), heard.Enqueue, stop.Token);
        await Wait.ForAsync(listening.Task, "the listener");

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");
        var undone = Database.WriteGroupedAsync(async (c, t) =>
        {
            await Database.NotifyAsync(c, t, "undone", Token);
            // The blocker's name again breaks the table's key: this write alone is rolled back.
            return await InsertAsync(c, t, "blocker");
        }, Token);
        var kept = Database.WriteGroupedAsync(async (c, t) =>
        {
            await Database.NotifyAsync(c, t, "kept", Token);
            return await InsertAsync(c, t, "kept");
        }, Token);
        await Wait.UntilAsync(() => Database.WaitingGroupedWrites == 2, "both writes waiting for one transaction");
        gate.SetResult();

        await Assert.ThrowsAnyAsync<DbException>(() => undone);
        await Wait.ForAsync(Task.WhenAll(blocker, kept), "the shared commit");
        // Notifications arrive in commit order: once the marker is heard, whatever the shared commit sent was heard before it.
        await Database.WriteAsync(async (c, t) =>
        {
            await Database.NotifyAsync(c, t, "marker", Token);
            return await InsertAsync(c, t, "marker");
        }, Token);
        await Wait.UntilAsync(() => heard.Contains("marker"), "the marker's notification", lastSeen: () => string.Join(", ", heard));

        Assert.Equal(["kept", "marker"], heard);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listener);
    }

    private static Task<int> InsertAsync(DbConnection c, DbTransaction t, string name, Task? holdUntil = null) => TestDatabase.InsertAsync(c, t, name, holdUntil);

    public ValueTask DisposeAsync() => _test.DisposeAsync();
}
