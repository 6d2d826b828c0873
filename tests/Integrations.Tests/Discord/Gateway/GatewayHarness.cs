using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Gateway;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Tests.Chat.Outbox;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Discord.Gateway;

/// <summary>
/// The Gateway client as the host builds it (<c>AddDiscord</c> with <c>Discord:Gateway=true</c>, the real REST client),
/// against the loopback <see cref="DiscordGatewayPeer"/> and <see cref="DiscordRestPeer"/> (whose <c>GET /gateway/bot</c>
/// points at the Gateway peer), writing into the real inbox over a real SQLite file in a temporary folder.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly string _root;
    private readonly TestStateStore _store;
    private readonly List<InboxItem> _kept = [];
    private GatewayHarness(string root, TestStateStore store, DiscordGatewayPeer peer, DiscordRestPeer rest, TimeProvider time, DiscordGatewayTiming timing, int capacity)
    {
        _root = root;
        _store = store;
        Peer = peer;
        Rest = rest;
        Time = time;
        Database = new StateDatabase(Options.Create(store.Options()),
            [new CoordinationSchema(), new OutboxSchema(), new InboxSchema()], new TestHostEnvironment(_root));
        InboxStore = new InboxStore(Database, time, OutboxHarness.Replica);
        Outbox = new ChatOutbox(new OutboxStore(Database, time, OutboxHarness.Replica), new QueueSignal<OutboxWork>());
        Inbox = new ChatInbox(InboxStore, Database, new QueueSignal<InboxItem>(), Outbox, Options.Create(new InboxOptions { Capacity = capacity }), time);
        Interactions = new RecordingInteractionHandler(Inbox);

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Gateway"] = "true",
            ["Discord:BotToken"] = DiscordRestPeer.BotToken,
            ["Discord:ApplicationId"] = DiscordRestPeer.ApplicationId,
            ["Discord:ApiBaseUrl"] = rest.ApiBaseUrl.ToString(),
        }).Build());
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Debug).AddProvider(new XunitLoggerProvider()).AddFakeLogging());
        services.AddSingleton(time);
        services.AddSingleton(timing);
        services.AddSingleton<IChatInbox>(Inbox);
        services.AddSingleton<IDiscordInteractionHandler>(Interactions);
        services.AddDiscord();
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Client = Services.GetServices<IHostedService>().OfType<DiscordGatewayClient>().Single();
    }

    public DiscordGatewayPeer Peer { get; }

    public DiscordRestPeer Rest { get; }

    public TimeProvider Time { get; }

    public StateDatabase Database { get; }

    public InboxStore InboxStore { get; }

    public ChatOutbox Outbox { get; }

    public ChatInbox Inbox { get; }

    public RecordingInteractionHandler Interactions { get; }

    public ServiceProvider Services { get; }

    public DiscordGatewayClient Client { get; }

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    /// <summary>Timings for the real clock: reconnects and Invalid Session waits short enough for a test, a fixed jitter.</summary>
    public static DiscordGatewayTiming QuickTiming(double jitter = 0.5) => new()
    {
        ReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        InvalidSessionMinDelay = TimeSpan.FromMilliseconds(10),
        InvalidSessionMaxDelay = TimeSpan.FromMilliseconds(50),
        Random = () => jitter,
    };

    /// <param name="time">The client's clock; the real one unless a test moves time itself.</param>
    /// <param name="timing">The client's own waits; <see cref="QuickTiming"/> by default.</param>
    /// <param name="capacity">How many deliveries the inbox holds.</param>
    /// <param name="heartbeatMilliseconds">The peer's Hello interval; by default so long that no heartbeat falls within a test on the real clock.</param>
    public static async Task<GatewayHarness> StartAsync(TimeProvider? time = null, DiscordGatewayTiming? timing = null, int capacity = 1000,
        int heartbeatMilliseconds = 3_600_000, Action<DiscordGatewayPeer>? configurePeer = null, Action<DiscordRestPeer>? configureRest = null)
    {
        var peer = await DiscordGatewayPeer.StartAsync(TestContext.Current.CancellationToken);
        peer.HeartbeatIntervalMilliseconds = heartbeatMilliseconds;
        configurePeer?.Invoke(peer);
        var rest = await DiscordRestPeer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        rest.GatewayUrl = peer.GatewayUrl;
        configureRest?.Invoke(rest);
        var root = Directory.CreateTempSubdirectory("chatops-discord-gateway-").FullName;
        var harness = new GatewayHarness(root, await TestStateStore.CreateAsync(root), peer, rest, time ?? TimeProvider.System, timing ?? QuickTiming(), capacity);
        await harness.Database.InitializeAsync(TestContext.Current.CancellationToken);
        await harness.Client.StartAsync(TestContext.Current.CancellationToken);
        return harness;
    }

    /// <summary>
    /// Waits until the client has a session (READY or RESUMED) on connection <paramref name="number"/>: the peer has sent
    /// it and the client has read it, so a drop from here on is a drop of a session the client can resume.
    /// </summary>
    public Task InSessionAsync(int number = 1) =>
        Wait.UntilAsync(() => Peer.InSession && Peer.Connections.Count == number && Services.GetRequiredService<DiscordGatewayState>().Snapshot().Connected,
            $"the client in session on connection {number}",
            lastSeen: () => $"{Peer.Connections.Count} connections; violations: {string.Join("; ", Peer.Violations)}");

    /// <summary>Every delivery the inbox has kept so far, each once, in the order kept (read through its store, as its worker would).</summary>
    public async Task<IReadOnlyList<InboxItem>> KeptAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var lane in await InboxStore.DueLanesAsync(Time.GetUtcNow(), ct))
        {
            while (await InboxStore.ClaimNextAsync(lane, Time.GetUtcNow(), Timeout.InfiniteTimeSpan, ct) is { } item)
            {
                _kept.Add(item);
            }
        }

        return [.. _kept.OrderBy(i => i.Seq)];
    }

    /// <summary>Waits until the inbox holds <paramref name="count"/> deliveries.</summary>
    public async Task<IReadOnlyList<InboxItem>> KeptAsync(int count, string what)
    {
        await Wait.UntilAsync(async () => (await KeptAsync()).Count >= count, what,
            lastSeen: () => $"kept: {string.Join(", ", _kept.Select(k => k.DeliveryId))}; connections: {Peer.Connections.Count}; violations: {string.Join("; ", Peer.Violations)}");
        return await KeptAsync();
    }

    public async Task<HealthReportEntry> HealthAsync()
    {
        var report = await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        return report.Entries[DiscordGatewayServiceCollectionExtensions.HealthCheckName];
    }

    public async ValueTask DisposeAsync()
    {
        await Client.StopAsync(CancellationToken.None);
        await Services.DisposeAsync();
        await Peer.DisposeAsync();
        await Rest.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
