using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Tests.Slack;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Chat.Queue;

/// <summary>
/// The durable queue the inbox and the outbox share, over a real SQLite table and the manual clock: claims with a
/// lease, one item in flight per lane, one wake-up signal, retry at a later due time, pruning, and what happens at
/// start to claims a stopped process left.
/// </summary>
public sealed class QueueWorkerTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-queue-").FullName;
    private readonly ObservedTimeProvider _time = new();
    private readonly List<QueueWorker<string, TestWork>> _workers = [];
    private StateDatabase _database = null!;
    private TestStateStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStateStore.CreateAsync(_root);
        _database = new StateDatabase(Options.Create(_store.Options()), [new TestQueueStore.Schema()], new TestHostEnvironment(_root));
        await _database.InitializeAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }

        SqliteConnection.ClearAllPools();
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private TestQueueStore Store(bool abandonLeftClaims = false) => new(_database) { AbandonLeftClaims = abandonLeftClaims };

    private (QueueWorker<string, TestWork> Worker, TestQueueHandler Handler, QueueSignal<TestWork> Signal) Create(
        TestQueueStore? store = null, int? maxLanes = null, bool paused = false)
    {
        store ??= Store();
        var handler = new TestQueueHandler(store, _time);
        var signal = new QueueSignal<TestWork>();
        // A long idle interval on the manual clock: only the signal, a due time or a test's Advance wakes the worker.
        var settings = new QueueSettings { Name = "test queue", MaxLanes = maxLanes, ClaimLease = Lease, IdleInterval = TimeSpan.FromHours(1), Retention = Retention, Paused = paused };
        var worker = new QueueWorker<string, TestWork>(store, handler, signal, settings, _time, NullLogger<QueueWorker<string, TestWork>>.Instance);
        _workers.Add(worker);
        return (worker, handler, signal);
    }

    private Task AddAsync(string lane, string payload) => Store().AddAsync(lane, payload, _time.GetUtcNow(), Ct);

    [Fact]
    public async Task RunOnceAsync_TwoLanes_HandlesEveryItemOfEachLaneInOrder()
    {
        var (sut, handler, _) = Create();
        await AddAsync("carol", "c1");
        await AddAsync("dave", "d1");
        await AddAsync("carol", "c2");
        await AddAsync("carol", "c3");

        var next = await sut.RunOnceAsync(Ct);

        Assert.Equal(["c1", "c2", "c3"], handler.Finished.Where(p => p.StartsWith('c')));
        Assert.Contains("d1", handler.Finished);
        Assert.Equal(1, handler.MostInOneLane);
        Assert.Null(next);
        Assert.All(await Store().RowsAsync(Ct), r => Assert.Equal("done", r.Status));
    }

    [Fact]
    public async Task ExecuteAsync_OneLaneHeld_OtherLanesGoAheadAndTheHeldLanesNextWaits()
    {
        var (sut, handler, signal) = Create();
        handler.Hold("c1");
        await sut.StartAsync(Ct);

        await AddAsync("carol", "c1");
        await AddAsync("carol", "c2");
        await AddAsync("dave", "d1");
        signal.Notify();
        // Both lanes claim at once; which claim commits first is the engine's business, so wait for both.
        await Wait.UntilAsync(() => handler.Finished.Contains("d1") && handler.Started.Contains("c1"), "dave's item while carol's first is held");
        var carolWhileHeld = handler.Started.Where(p => p.StartsWith('c')).ToList();
        handler.Release("c1");
        await Wait.UntilAsync(() => handler.Finished.Contains("c2"), "carol's second item");

        Assert.Equal(["c1"], carolWhileHeld);
        Assert.Equal(["c1", "c2"], handler.Finished.Where(p => p.StartsWith('c')));
        Assert.Equal(1, handler.MostInOneLane);
    }

    [Fact]
    public async Task ExecuteAsync_MaxLanesReached_NextLaneWaitsForAFreeOne()
    {
        var (sut, handler, signal) = Create(maxLanes: 1);
        handler.Hold("c1");
        await sut.StartAsync(Ct);

        await AddAsync("carol", "c1");
        signal.Notify();
        await Wait.UntilAsync(() => handler.Started.Contains("c1"), "carol's item");
        await AddAsync("dave", "d1");
        signal.Notify();
        var startedWhileFull = handler.Started.Count;
        handler.Release("c1");
        await Wait.UntilAsync(() => handler.Finished.Contains("d1"), "dave's item once carol's lane is free");

        Assert.Equal(1, startedWhileFull);
        Assert.Equal(1, handler.MostLanesAtOnce);
    }

    [Fact]
    public async Task ExecuteAsync_Signalled_HandlesNewWorkWithoutWaitingForTheIdleInterval()
    {
        var (sut, handler, signal) = Create();
        await sut.StartAsync(Ct);
        // The first round found nothing and sleeps for the idle hour on a clock that does not move.
        await Wait.UntilAsync(() => _time.TimersCreated >= 1, "the worker to go to sleep");

        await AddAsync("carol", "c1");
        signal.Notify();
        await Wait.UntilAsync(() => handler.Finished.Contains("c1"), "the item written after the worker went to sleep");
    }

    [Fact]
    public async Task RunOnceAsync_ClaimHeldByAnotherProcess_NotTakenUntilItsLeasePasses()
    {
        await AddAsync("carol", "c1");
        var held = await Store().ClaimNextAsync("carol", _time.GetUtcNow(), Lease, Ct);
        var (sut, handler, _) = Create();

        var next = await sut.RunOnceAsync(Ct);
        var whileLeased = handler.Started.Count;
        _time.Advance(Lease);
        await sut.RunOnceAsync(Ct);

        Assert.NotNull(held);
        Assert.Equal(0, whileLeased);
        Assert.Equal(_time.GetUtcNow(), next);
        Assert.Equal(["c1"], handler.Finished);
        Assert.Equal(2, (await Store().RowsAsync(Ct)).Single().Attempts);
    }

    [Fact]
    public async Task RunOnceAsync_FailedAttempt_RetriedAfterItsBackoffAndNotBefore()
    {
        var (sut, handler, _) = Create();
        await AddAsync("carol", "flaky");
        await AddAsync("carol", "after");

        var next = await sut.RunOnceAsync(Ct);
        var beforeBackoff = handler.Finished;
        _time.Advance(TestQueueHandler.InitialBackoff - TimeSpan.FromMilliseconds(1));
        await sut.RunOnceAsync(Ct);
        var justBefore = handler.Finished;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await sut.RunOnceAsync(Ct);

        Assert.Equal(_time.GetUtcNow(), next);
        Assert.Equal(["after"], beforeBackoff);
        Assert.Equal(["after"], justBefore);
        Assert.Equal(["after", "flaky"], handler.Finished);
        Assert.Equal(2, (await Store().RowsAsync(Ct))[0].Attempts);
    }

    [Fact]
    public async Task RunOnceAsync_LanePaced_WaitsForItsTurnAndSaysWhen()
    {
        var (sut, handler, _) = Create();
        var turn = _time.GetUtcNow() + TimeSpan.FromSeconds(30);
        handler.Pause("carol", turn);
        await AddAsync("carol", "c1");
        await AddAsync("dave", "d1");

        var next = await sut.RunOnceAsync(Ct);
        var beforeTurn = handler.Finished;
        _time.Advance(TimeSpan.FromSeconds(30));
        await sut.RunOnceAsync(Ct);

        Assert.Equal(turn, next);
        Assert.Equal(["d1"], beforeTurn);
        Assert.Equal(["d1", "c1"], handler.Finished);
    }

    [Fact]
    public async Task ExecuteAsync_FinishedItemsPastRetention_ArePrunedAndTheRestKept()
    {
        var (first, _, _) = Create();
        await AddAsync("carol", "old");
        await first.RunOnceAsync(Ct);
        _time.Advance(Retention + TimeSpan.FromHours(1));
        await AddAsync("carol", "waiting");
        await Store().ClaimNextAsync("carol", _time.GetUtcNow(), TimeSpan.FromDays(30), Ct);
        await AddAsync("dave", "recent");
        var (sut, handler, _) = Create();

        // A fresh worker prunes in its first round; the claim another process holds is not touched.
        await sut.RunOnceAsync(Ct);

        Assert.Equal(["waiting", "recent"], (await Store().RowsAsync(Ct)).Select(r => r.Payload));
        Assert.Equal(["recent"], handler.Finished);
    }

    [Fact]
    public async Task ExecuteAsync_ClaimLeftByAStoppedProcess_ReleasedAndHandledAtOnce()
    {
        await AddAsync("carol", "left");
        await AddAsync("carol", "next");
        await Store().ClaimNextAsync("carol", _time.GetUtcNow(), Lease, Ct);
        var (sut, handler, _) = Create();

        // No clock moves: without the release, the lease would hold it for two minutes.
        await sut.StartAsync(Ct);
        await Wait.UntilAsync(() => handler.Finished.Count == 2, "the left claim and the item behind it");

        Assert.Equal(["left", "next"], handler.Finished);
        Assert.Empty(handler.Abandoned);
    }

    [Fact]
    public async Task ExecuteAsync_LeftClaimThatMustNotRunTwice_AbandonedOnceAndNeverHandled()
    {
        var store = Store(abandonLeftClaims: true);
        await AddAsync("carol", "half-done");
        await AddAsync("carol", "next");
        await store.ClaimNextAsync("carol", _time.GetUtcNow(), Timeout.InfiniteTimeSpan, Ct);
        var (sut, handler, _) = Create(store);

        await sut.StartAsync(Ct);
        await Wait.UntilAsync(() => handler.Finished.Contains("next"), "the item behind the abandoned one");
        await sut.StopAsync(Ct);
        var (again, restarted, _) = Create(store);
        await again.StartAsync(Ct);
        await again.StopAsync(Ct);

        Assert.Equal(["half-done"], handler.Abandoned);
        Assert.Equal(["next"], handler.Started);
        Assert.Empty(restarted.Abandoned);
        Assert.Equal(["abandoned", "done"], (await store.RowsAsync(Ct)).Select(r => r.Status));
    }

    [Fact]
    public async Task ExecuteAsync_Paused_DealsWithLeftClaimsButHandlesNothing()
    {
        var store = Store(abandonLeftClaims: true);
        await AddAsync("carol", "half-done");
        await AddAsync("carol", "waiting");
        await store.ClaimNextAsync("carol", _time.GetUtcNow(), Timeout.InfiniteTimeSpan, Ct);
        var (sut, handler, signal) = Create(store, paused: true);

        await sut.StartAsync(Ct);
        await Wait.ForAsync(sut.ExecuteTask!, "the paused worker to finish its start");
        signal.Notify();

        Assert.Equal(["half-done"], handler.Abandoned);
        Assert.Empty(handler.Started);
        Assert.Equal("pending", (await store.RowsAsync(Ct))[1].Status);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(6, 60)]
    [InlineData(500, 60)]
    public void Backoff_Attempt_DoublesUpToTheCap(int attempt, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Backoff.After(attempt, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)));
}
