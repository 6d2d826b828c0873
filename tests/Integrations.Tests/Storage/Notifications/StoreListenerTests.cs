using System.Collections.Concurrent;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Storage.Notifications;
using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Storage.Notifications;

/// <summary>
/// Two replicas, A and B, on one real PostgreSQL database: what A commits wakes B's queue worker and B's web chat tail
/// through B's <see cref="StoreListener"/>. B's own polls run on manual clocks that never move, so only a notification can
/// explain B seeing A's work. And a listener whose connection is killed reconnects, and wakes everything once.
/// </summary>
public sealed class StoreListenerTests : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-listen-").FullName;
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IHostedService> _started = [];
    private TestStateStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IOptions<StorageOptions> NotifiedPollsAnHour => Options.Create(new StorageOptions { NotifiedPollInterval = TimeSpan.FromHours(1) });

    [Fact]
    public async Task Listener_AnotherReplicaKeepsADelivery_WakesThisReplicasInboxWorker()
    {
        var a = new InboxStore(await OpenAsync(), new FakeTimeProvider(), new ReplicaIdentity("replica-a", TimeSpan.FromSeconds(10)));
        var databaseB = await OpenAsync();
        var inboxB = new InboxStore(databaseB, new FakeTimeProvider(), new ReplicaIdentity("replica-b", TimeSpan.FromSeconds(10)));
        var signalB = new QueueSignal<InboxItem>();
        var notificationsB = new StoreNotifications(NotifiedPollsAnHour);
        await StartAsync(Listener(databaseB, notificationsB, new FakeTimeProvider(), new StoreWakeup(InboxStore.NotifyChannel, signalB.Notify)));
        await Wait.UntilAsync(() => notificationsB.Live, "B's listener listening");

        // B's worker may not take Carol's first delivery yet: it tries, is refused a turn, and sleeps on a clock that never moves.
        var carol = Say("carol", "d1");
        var handler = new RecordingHandler(inboxB);
        handler.Hold(carol.Lane);
        Assert.Equal(InboxAdmission.Accepted, await a.ReceiveAsync(carol.Request, 10, Ct));
        var settings = new QueueSettings
        {
            Name = "inbox", Retention = TimeSpan.FromDays(1), IdleInterval = TimeSpan.FromHours(1), LeftClaimsInterval = Timeout.InfiniteTimeSpan,
        };
        await StartAsync(new QueueWorker<string, InboxItem>(inboxB, handler, signalB, settings, new FakeTimeProvider(),
            NullLogger<QueueWorker<string, InboxItem>>.Instance, notificationsB));
        // Refused twice: the second refusal is no news, so nothing in B wakes its worker after it.
        await Wait.UntilAsync(() => handler.Refusals(carol.Lane) >= 2, "B's worker trying Carol's lane and going to sleep");
        handler.Let(carol.Lane);

        var dave = Say("dave", "d2");
        Assert.Equal(InboxAdmission.Accepted, await a.ReceiveAsync(dave.Request, 10, Ct));

        await Wait.UntilAsync(() => handler.Handled.Contains("d1") && handler.Handled.Contains("d2"), "B handling both deliveries A kept",
            lastSeen: () => string.Join(", ", handler.Handled));
    }

    [Fact]
    public async Task Listener_AnotherReplicaPostsAndEdits_ThisReplicasWebChatTailPublishesBoth()
    {
        var (storeA, _) = await StartWebChatAsync(listen: false);
        var (_, feedB) = await StartWebChatAsync(listen: true);
        var seen = Follow(feedB);

        var posted = await storeA.PostAsync("ops", "bot", OutgoingMessage.Plain("from A"), null, Ct);
        await Wait.UntilAsync(() => Snapshot(seen).Contains("from A"), "A's post on B's stream", lastSeen: () => string.Join(", ", Snapshot(seen)));
        await storeA.UpdateAsync(posted.Id, OutgoingMessage.Plain("from A, edited"), Ct);

        await Wait.UntilAsync(() => Snapshot(seen).Contains("from A, edited"), "A's edit on B's stream", lastSeen: () => string.Join(", ", Snapshot(seen)));
    }

    [Fact]
    public async Task Listener_ConnectionTerminated_DegradedThenReconnectsAndWakesForWhatItMissed()
    {
        var (storeA, _) = await StartWebChatAsync(listen: false);
        var reconnectClock = new FakeTimeProvider();
        var (_, feedB) = await StartWebChatAsync(listen: true, reconnectClock);
        var (databaseB, notificationsB) = (_listenerDatabase!, _listenerNotifications!);
        var health = new StoreListenerHealthCheck(databaseB, notificationsB, NotifiedPollsAnHour);
        var seen = Follow(feedB);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);

        await using (var admin = await _store!.OpenAsync())
        {
            var killed = await admin.ScalarAsync(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()",
                null, Ct, ("@name", PostgresDialect.ListenerApplicationName));
            Assert.Equal(1L, killed);
        }

        await Wait.UntilAsync(() => !notificationsB.Live, "B's listener noticing its connection is gone");
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);
        // Posted while nobody in B listens: its notification is lost, and only the wake on reconnecting can bring it.
        await storeA.PostAsync("ops", "bot", OutgoingMessage.Plain("while B was deaf"), null, Ct);

        // The retry waits on B's reconnect clock: moved on until B listens again.
        await Wait.UntilAsync(() =>
        {
            reconnectClock.Advance(StoreListener.FirstRetry);
            return notificationsB.Listens >= 2;
        }, "B's listener reconnecting");
        await Wait.UntilAsync(() => Snapshot(seen).Contains("while B was deaf"), "the post B missed, read once it listens again",
            lastSeen: () => string.Join(", ", Snapshot(seen)));
        await storeA.PostAsync("ops", "bot", OutgoingMessage.Plain("after"), null, Ct);
        await Wait.UntilAsync(() => Snapshot(seen).Contains("after"), "a post after the reconnect", lastSeen: () => string.Join(", ", Snapshot(seen)));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);
    }

    [Fact]
    public async Task Listener_Sqlite_ListensToNothingAndPollsStayAsTheyAre()
    {
        var database = await OpenAsync(StorageProvider.Sqlite);
        var notifications = new StoreNotifications(NotifiedPollsAnHour);
        var listener = Listener(database, notifications, TimeProvider.System, new StoreWakeup(InboxStore.NotifyChannel, () => { }));

        await listener.StartAsync(Ct);
        await Wait.ForAsync(listener.ExecuteTask!, "the listener giving up on an engine without notifications");

        Assert.False(notifications.Live);
        Assert.Equal(TimeSpan.FromSeconds(2), notifications.PollInterval(TimeSpan.FromSeconds(2)));
        var health = await new StoreListenerHealthCheck(database, notifications, NotifiedPollsAnHour).CheckHealthAsync(new HealthCheckContext(), Ct);
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(5, 4000)]
    [InlineData(9, 30000)]
    [InlineData(40, 30000)]
    public void RetryAfter_FailuresInARow_DoublesUpToTheLongest(int failures, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), StoreListener.RetryAfter(failures));

    private StateDatabase? _listenerDatabase;
    private StoreNotifications? _listenerNotifications;

    /// <summary>A replica's web chat: store, feed and tail (whose poll never passes); with <paramref name="listen"/>, its listener too.</summary>
    private async Task<(WebChatStore Store, WebChatFeed Feed)> StartWebChatAsync(bool listen, TimeProvider? reconnectClock = null)
    {
        var database = await OpenAsync();
        var options = Options.Create(new WebChatOptions { StreamPollInterval = TimeSpan.FromMinutes(1) });
        var feed = new WebChatFeed();
        var store = new WebChatStore(database, feed, new FakeTimeProvider(), options);
        var notifications = new StoreNotifications(NotifiedPollsAnHour);
        if (listen)
        {
            _listenerDatabase = database;
            _listenerNotifications = notifications;
            await StartAsync(Listener(database, notifications, reconnectClock ?? new FakeTimeProvider(), new StoreWakeup(WebChatStore.NotifyChannel, feed.Changed)));
            await Wait.UntilAsync(() => notifications.Live, "the listener listening");
        }

        await StartAsync(new WebChatTail(store, feed, options, new FakeTimeProvider(), NullLogger<WebChatTail>.Instance, notifications));
        return (store, feed);
    }

    private static StoreListener Listener(StateDatabase database, StoreNotifications notifications, TimeProvider time, params StoreWakeup[] wakeups) =>
        new(database, wakeups, notifications, time, NullLogger<StoreListener>.Instance);

    private static (ChatRequest Request, string Lane) Say(string user, string deliveryId)
    {
        var request = new ChatRequest(new ChatDestination("webchat", "ops"), new ChatUser("webchat", user), "/env status test", deliveryId);
        return (request, InboxItem.LaneOf(request.Destination, request.User));
    }

    /// <summary>The texts <paramref name="feed"/> hands a subscriber, gathered in the background until the test ends.</summary>
    private List<string> Follow(WebChatFeed feed)
    {
        var seen = new List<string>();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var following = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in feed.SubscribeAsync(TimeSpan.FromHours(1), new FakeTimeProvider(), stop.Token))
                {
                    if (message is not null)
                    {
                        lock (seen)
                        {
                            seen.Add(message.Text);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }, CancellationToken.None);
        _owned.Add(new Stopping(stop, following));
        return seen;
    }

    private static List<string> Snapshot(List<string> seen)
    {
        lock (seen)
        {
            return [.. seen];
        }
    }

    private async Task<StateDatabase> OpenAsync(StorageProvider provider = StorageProvider.Postgres)
    {
        _store ??= await TestStateStore.CreateAsync(_root, provider);
        var database = new StateDatabase(Options.Create(_store.Options()), [new CoordinationSchema(), new InboxSchema(), new WebChatSchema()], new TestHostEnvironment(_root));
        _owned.Add(database);
        await database.InitializeAsync(Ct);
        return database;
    }

    private async Task StartAsync(IHostedService service)
    {
        await service.StartAsync(Ct);
        _started.Add(service);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(_started))
        {
            await service.StopAsync(CancellationToken.None);
        }

        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private sealed class Stopping(CancellationTokenSource stop, Task following) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await following;
            stop.Dispose();
        }
    }

    /// <summary>
    /// Closes each delivery it is handed. A lane <see cref="Hold"/>-ing gets no turn (as under a rate limit) until
    /// <see cref="Let"/>: how many turns it refused shows the worker tried.
    /// </summary>
    private sealed class RecordingHandler(InboxStore store) : IQueueHandler<string, InboxItem>
    {
        private static readonly DateTimeOffset Never = DateTimeOffset.MaxValue.AddYears(-1);

        private readonly ConcurrentDictionary<string, int> _refusals = new();
        private readonly ConcurrentDictionary<string, bool> _held = new();
        private readonly ConcurrentQueue<string> _handled = new();

        public IReadOnlyList<string> Handled => [.. _handled];

        public void Hold(string lane) => _held[lane] = true;

        public void Let(string lane) => _held[lane] = false;

        public int Refusals(string lane) => _refusals.GetValueOrDefault(lane);

        public Task<LaneTurns> TakeTurnsAsync(string lane, int wanted, DateTimeOffset now, CancellationToken cancellationToken)
        {
            if (_held.GetValueOrDefault(lane))
            {
                _refusals.AddOrUpdate(lane, 1, (_, n) => n + 1);
                return Task.FromResult(new LaneTurns(0, Never));
            }

            return Task.FromResult(new LaneTurns(wanted, null));
        }

        public async Task HandleAsync(InboxItem work, CancellationToken cancellationToken)
        {
            _handled.Enqueue(work.DeliveryId);
            await store.FinishAsync(work.Seq, cancellationToken);
        }
    }
}
