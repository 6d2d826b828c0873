using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

/// <summary>A real state store (a SQLite file in a temporary folder, or a PostgreSQL database), a manual clock, and the outbox over them.</summary>
internal sealed class OutboxHarness : IDisposable
{
    private readonly string _root;
    private readonly TestStateStore _store;

    private OutboxHarness(string root, TestStateStore stateStore, ChatDeliveryOptions options, DateTimeOffset? start, IStateSchema[] schemas)
    {
        _root = root;
        _store = stateStore;
        Options = options;
        Time = start is { } at ? new FakeTimeProvider(at) : new FakeTimeProvider();
        Database = new StateDatabase(
            Microsoft.Extensions.Options.Options.Create(stateStore.Options()),
            [new CoordinationSchema(), new OutboxSchema(), new DestinationPauseSchema(), .. schemas],
            new TestHostEnvironment(_root));
        var store = new OutboxStore(Database, Time, Replica);
        Outbox = new ChatOutbox(store, Signal);
        Metrics = new OutboxMetrics(store);
    }

    public static readonly ChatDestination Alerts = new("slack", "C-ALERTS");

    /// <summary>The one replica these tests run as; never registered, so its claims are only its own to release, at start.</summary>
    public static readonly ReplicaIdentity Replica = new("test-replica", TimeSpan.FromSeconds(10));

    public FakeTimeProvider Time { get; }

    public ChatDeliveryOptions Options { get; }

    public StateDatabase Database { get; }

    public QueueSignal<OutboxWork> Signal { get; } = new();

    public ChatOutbox Outbox { get; }

    public OutboxMetrics Metrics { get; }

    /// <param name="configure">Changes to the default options.</param>
    /// <param name="start">Where the manual clock starts; a peer that stamps messages with the real clock needs it near now.</param>
    /// <param name="schemas">Further tables in the same database, as the host shares it (the web chat's).</param>
    public static async Task<OutboxHarness> CreateAsync(Action<ChatDeliveryOptions>? configure = null, DateTimeOffset? start = null, params IStateSchema[] schemas)
    {
        var options = new ChatDeliveryOptions();
        configure?.Invoke(options);
        var root = Directory.CreateTempSubdirectory("chatops-outbox-").FullName;
        var harness = new OutboxHarness(root, await TestStateStore.CreateAsync(root), options, start, schemas);
        await harness.Database.InitializeAsync(TestContext.Current.CancellationToken);
        return harness;
    }

    /// <summary>The outbox's worker with its own token buckets, as a freshly started process would have, alone on the store.</summary>
    public QueueWorker<ChatDestination, OutboxWork> CreateWorker(params IChatSender[] senders) =>
        CreateWorker(Replica, new LiveReplicas(Replica), senders);

    /// <summary>The worker of <paramref name="replica"/>, dividing budgets by <paramref name="live"/>, as its host composes it.</summary>
    public QueueWorker<ChatDestination, OutboxWork> CreateWorker(ReplicaIdentity replica, LiveReplicas live, params IChatSender[] senders)
    {
        var store = new OutboxStore(Database, Time, replica);
        var sender = new OutboxSender(store, CreateLimiter(replica, live), new ChatSenders(senders), Microsoft.Extensions.Options.Options.Create(Options), Time,
            NullLogger<OutboxSender>.Instance);
        return new QueueWorker<ChatDestination, OutboxWork>(store, sender, Signal, OutboxSender.Settings(Options), Time,
            NullLogger<QueueWorker<ChatDestination, OutboxWork>>.Instance);
    }

    public DestinationLimiter CreateLimiter(ReplicaIdentity replica, LiveReplicas live) =>
        new(Microsoft.Extensions.Options.Options.Create(Options), Pauses, live, replica, Time, NullLogger<DestinationLimiter>.Instance);

    public DestinationPauseStore Pauses => new(Database);

    public Task<T> ScalarAsync<T>(string sql, params (string, object?)[] parameters) =>
        Database.ReadAsync(async c => (T)(await c.ScalarAsync(sql, null, TestContext.Current.CancellationToken, parameters))!, TestContext.Current.CancellationToken);

    public Task<List<(string Key, string Status, string? DigestedInto, string? MessageId)>> RowsAsync() =>
        Database.ReadAsync(c => c.QueryAsync("SELECT key, status, digested_into, message_id FROM chat_outbox ORDER BY seq", null,
            r => (r.GetString(0), r.GetString(1), r.GetNullableString(2), r.GetNullableString(3)), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _store.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
