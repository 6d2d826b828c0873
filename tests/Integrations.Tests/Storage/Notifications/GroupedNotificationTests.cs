using System.Collections.Concurrent;
using System.Data.Common;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Storage.Notifications;

/// <summary>
/// On a real PostgreSQL database: what a transaction's writes notify (<see cref="StateDatabase.NotifyAsync"/>) is heard once
/// it commits, and a grouped write rolled back to its savepoint takes its own notification with it.
/// </summary>
public sealed class GroupedNotificationTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-notify-").FullName;
    private StateDatabase _database = null!;
    private TestStateStore _store = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStateStore.CreateAsync(_root, StorageProvider.Postgres);
        _database = new StateDatabase(Options.Create(_store.Options()), [new Schema()], new TestHostEnvironment(_root));
        await _database.InitializeAsync(Token);
    }

    [Fact]
    public async Task Notify_WriteRolledBackToItsSavepoint_IsNotHeard_ItsNeighboursAreOnceCommitted()
    {
        var heard = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var listener = _database.ListenAsync(["undone", "kept", "marker"], () => listening.TrySetResult(), heard.Enqueue, stop.Token);
        await Wait.ForAsync(listening.Task, "the listener");

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _database.WriteGroupedAsync((c, t) => InsertAsync(c, t, "blocker", gate.Task), Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 0, "the blocker to be taken into a transaction");
        var undone = _database.WriteGroupedAsync(async (c, t) =>
        {
            await _database.NotifyAsync(c, t, "undone", Token);
            // The blocker's name again breaks the table's key: this write alone is rolled back.
            return await InsertAsync(c, t, "blocker");
        }, Token);
        var kept = _database.WriteGroupedAsync(async (c, t) =>
        {
            await _database.NotifyAsync(c, t, "kept", Token);
            return await InsertAsync(c, t, "kept");
        }, Token);
        await Wait.UntilAsync(() => _database.WaitingGroupedWrites == 2, "both writes waiting for one transaction");
        gate.SetResult();

        await Assert.ThrowsAnyAsync<DbException>(() => undone);
        await Wait.ForAsync(Task.WhenAll(blocker, kept), "the shared commit");
        // Notifications arrive in commit order: once the marker is heard, whatever the shared commit sent was heard before it.
        await _database.WriteAsync(async (c, t) =>
        {
            await _database.NotifyAsync(c, t, "marker", Token);
            return await InsertAsync(c, t, "marker");
        }, Token);
        await Wait.UntilAsync(() => heard.Contains("marker"), "the marker's notification", lastSeen: () => string.Join(", ", heard));

        Assert.Equal(["kept", "marker"], heard);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listener);
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

    public async ValueTask DisposeAsync()
    {
        await Wait.ForAsync(_database.DisposeAsync().AsTask(), "the grouped writes to drain");
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private sealed class Schema : IStateSchema
    {
        public IEnumerable<Migration> Migrations => [new(100, "things", ["CREATE TABLE things (name TEXT NOT NULL PRIMARY KEY)"])];
    }
}
