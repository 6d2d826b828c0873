using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Delivery;
using ChatOps.TestCommon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOps.Radiator.Tests;

/// <summary>
/// The real chat outbox and its real dispatcher over a SQLite file in <c>root</c>, delivering to a
/// <see cref="FakeChatSender"/>. Disposing it and starting another over the same folder is a restart.
/// </summary>
public sealed class OutboxKit : IAsyncDisposable
{
    private readonly IHost _host;

    private OutboxKit(IHost host)
    {
        _host = host;
        Outbox = host.Services.GetRequiredService<IChatOutbox>();
    }

    public IChatOutbox Outbox { get; }

    /// <param name="root">The folder of the SQLite file; the same folder again is the same outbox.</param>
    /// <param name="time">The clock of the outbox and its dispatcher.</param>
    /// <param name="chat">Where the dispatcher sends.</param>
    /// <param name="settings"><c>ChatDelivery:…</c> settings (limits, digests) added to the defaults.</param>
    public static async Task<OutboxKit> StartAsync(string root, TimeProvider time, FakeChatSender chat, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = "Data Source=outbox.db" });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.AddProvider(new XunitLoggerProvider());
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<IChatSender>(chat);
        builder.Services.AddChatOutbox();
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new OutboxKit(host);
    }

    /// <summary>Waits (bounded) until nothing is waiting or in flight, so what the chat received is final.</summary>
    /// <param name="clock">
    /// Moved on a minute at each look, for rows waiting out a backoff: a retry is due some time after the
    /// failure, and the failure may be recorded after any given move of the clock.
    /// </param>
    public Task DrainAsync(ManualTimeProvider? clock = null) => WaitForDepthAsync(_host.Services, 0, clock);

    /// <summary>Waits (bounded) until the outbox holds exactly <paramref name="depth"/> posts and edits waiting or in flight.</summary>
    public Task WaitForDepthAsync(long depth) => WaitForDepthAsync(_host.Services, depth, clock: null);

    /// <summary>Waits (bounded) until the outbox of <paramref name="services"/> has nothing waiting or in flight.</summary>
    public static Task DrainAsync(IServiceProvider services) => WaitForDepthAsync(services, 0, clock: null);

    private static async Task WaitForDepthAsync(IServiceProvider services, long expected, ManualTimeProvider? clock)
    {
        var metrics = services.GetRequiredService<OutboxMetrics>();
        var ct = TestContext.Current.CancellationToken;
        long depth = 0;
        for (var i = 0; i < 500; i++)
        {
            // A send is recorded (and leaves the depth) only after the platform call returned.
            depth = (await metrics.CollectAsync(ct)).Sum(m => m.Depth);
            if (depth == expected)
            {
                return;
            }

            clock?.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, ct);
        }

        Assert.Fail($"the outbox holds {depth} messages, not {expected}");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
