using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Radiator.Tests;

/// <summary>
/// The real chat outbox and its real dispatcher over a state store named by <c>root</c> (<see cref="TestStateStores.Of"/>), delivering to a
/// <see cref="FakeChatSender"/>. Disposing it and starting another over the same folder is a restart.
/// </summary>
public sealed class OutboxKit : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _started;
    private readonly QueueWorker<ChatDestination, OutboxWork>? _dispatcher;
    private readonly IReadOnlyList<FakeChatSender> _chats;

    private OutboxKit(IHost host, bool started, IReadOnlyList<FakeChatSender> chats)
    {
        _host = host;
        _started = started;
        _chats = chats;
        Outbox = host.Services.GetRequiredService<IChatOutbox>();
        if (!started)
        {
            _dispatcher = host.Services.GetServices<IHostedService>().OfType<QueueWorker<ChatDestination, OutboxWork>>().Single();
        }
    }

    public IChatOutbox Outbox { get; }

    /// <param name="root">The folder of the SQLite file; the same folder again is the same outbox.</param>
    /// <param name="time">The clock of the outbox and its dispatcher.</param>
    /// <param name="chat">Where the dispatcher sends.</param>
    /// <param name="settings"><c>ChatDelivery:…</c> settings (limits, digests) added to the defaults.</param>
    public static async Task<OutboxKit> StartAsync(string root, TimeProvider time, FakeChatSender chat, Dictionary<string, string?>? settings = null)
    {
        var host = Build(root, await TestStateStores.Of(root).GetAsync("outbox.db"), time, [chat], settings);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new OutboxKit(host, started: true, [chat]);
    }

    /// <summary>
    /// The same outbox and dispatcher, but the dispatcher does not run on its own: nothing is sent until
    /// <see cref="DeliverAsync()"/>, which runs its rounds to the end. For tests that look at what the chat
    /// shows at given points, with no waiting.
    /// </summary>
    /// <param name="root">The folder of the SQLite file; the same folder again is the same outbox.</param>
    /// <param name="time">The clock of the outbox and its dispatcher.</param>
    /// <param name="chats">Where the dispatcher sends, one per platform.</param>
    /// <param name="settings"><c>ChatDelivery:…</c> settings (limits, digests) added to the defaults.</param>
    public static async Task<OutboxKit> OpenAsync(string root, TimeProvider time, IReadOnlyList<FakeChatSender> chats, Dictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(chats);
        var host = Build(root, await TestStateStores.Of(root).GetAsync("outbox.db"), time, chats, settings);
        // What starting the host would do, short of starting the dispatcher's loop.
        await host.Services.GetRequiredService<StateDatabase>().InitializeAsync(TestContext.Current.CancellationToken);
        _ = host.Services.GetRequiredService<IOptions<ChatDeliveryOptions>>().Value;
        return new OutboxKit(host, started: false, chats);
    }

    /// <summary>
    /// Runs dispatch rounds until one sends nothing, then checks that nothing is left waiting, in flight
    /// or failed: what the chat received is then all the outbox held. Only for a kit from <see cref="OpenAsync"/>.
    /// </summary>
    /// <param name="clock">
    /// When given, moved on to the dispatcher's next wake (a destination's budget returning) whenever a
    /// round sent nothing, so paced sends and digests go out too; without it the clock stays put.
    /// </param>
    public async Task DeliverAsync(FakeTimeProvider? clock = null)
    {
        var dispatcher = _dispatcher ?? throw new InvalidOperationException("the dispatcher runs on its own: use DrainAsync");
        var ct = TestContext.Current.CancellationToken;
        for (var round = 0; round < 50; round++)
        {
            var before = Received();
            var next = await dispatcher.RunOnceAsync(ct);
            if (Received() != before)
            {
                continue;
            }

            if (clock is null || next is not { } wake)
            {
                break;
            }

            clock.Advance(wake - clock.GetUtcNow());
        }

        var metrics = _host.Services.GetRequiredService<OutboxMetrics>();
        var left = (await metrics.CollectAsync(ct)).Where(m => m.Depth > 0 || m.Failed > 0).ToList();
        Assert.True(left.Count == 0, $"left in the outbox: {string.Join(", ", left.Select(m => $"{m.Destination} {m.Depth} waiting, {m.Failed} failed"))}");
    }

    private int Received() => _chats.Sum(c => c.Posts.Count + c.Updates.Count);

    private static IHost Build(string root, TestStateStore store, TimeProvider time, IReadOnlyList<FakeChatSender> chats, Dictionary<string, string?>? settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(store.Settings);
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.AddProvider(new XunitLoggerProvider());
        builder.Services.AddSingleton(time);
        foreach (var chat in chats)
        {
            builder.Services.AddSingleton<IChatSender>(chat);
        }

        builder.Services.AddChatOutbox();
        return builder.Build();
    }

    /// <summary>Waits (bounded) until nothing is waiting or in flight, so what the chat received is final.</summary>
    /// <param name="clock">
    /// Moved on a minute at each look, for rows waiting out a backoff: a retry is due some time after the
    /// failure, and the failure may be recorded after any given move of the clock.
    /// </param>
    public Task DrainAsync(FakeTimeProvider? clock = null) => WaitForDepthAsync(_host.Services, 0, clock);

    /// <summary>Waits (bounded) until the outbox holds exactly <paramref name="depth"/> posts and edits waiting or in flight.</summary>
    public Task WaitForDepthAsync(long depth) => WaitForDepthAsync(_host.Services, depth, clock: null);

    /// <summary>Waits (bounded) until the outbox of <paramref name="services"/> has nothing waiting or in flight.</summary>
    public static Task DrainAsync(IServiceProvider services) => WaitForDepthAsync(services, 0, clock: null);

    private static async Task WaitForDepthAsync(IServiceProvider services, long expected, FakeTimeProvider? clock)
    {
        var metrics = services.GetRequiredService<OutboxMetrics>();
        var ct = TestContext.Current.CancellationToken;
        long depth = 0;
        await Wait.UntilAsync(
            async () =>
            {
                // A send is recorded (and leaves the depth) only after the platform call returned.
                depth = (await metrics.CollectAsync(ct)).Sum(m => m.Depth);
                if (depth == expected)
                {
                    return true;
                }

                clock?.Advance(TimeSpan.FromMinutes(1));
                return false;
            },
            $"the outbox to hold {expected} messages",
            lastSeen: () => $"{depth} messages");
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await _host.StopAsync(CancellationToken.None);
        }

        _host.Dispose();
    }
}
