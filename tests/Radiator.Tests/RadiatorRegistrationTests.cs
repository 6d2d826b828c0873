using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Deployments;
using ChatOps.Radiator.Events;
using ChatOps.Radiator.Pulse;
using ChatOps.TestCommon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Radiator.Tests;

public sealed class RadiatorRegistrationTests
{
    [Fact]
    public async Task AddRadiator_NoElasticsearch_UsesEmbeddedSourceAndDefaultKpisAndChannels()
    {
        await using var host = await RadiatorHost.StartAsync();

        Assert.IsType<EmbeddedEventSource>(host.Services.GetRequiredService<IEventSource>());
        var pulse = host.Services.GetRequiredService<IOptions<PulseOptions>>().Value;
        Assert.Equal(["logins", "viewers", "votes", "errors", "latency"], pulse.Kpis.Select(k => k.Name));
        Assert.Equal(TimeSpan.FromMinutes(5), pulse.Kpis[0].Window);
        Assert.Equal(["webchat:pulse"], pulse.Channels);
        Assert.Equal(["webchat:deploys"], host.Services.GetRequiredService<IOptions<DeploymentOptions>>().Value.Channels);
        Assert.NotNull(host.Services.GetRequiredService<IDeploymentFeed>());
    }

    [Fact]
    public async Task AddRadiator_ElasticsearchUrl_UsesElasticsearchSource()
    {
        await using var host = await RadiatorHost.StartAsync(new() { ["Elasticsearch:Url"] = "http://127.0.0.1:1/" });

        Assert.IsType<ElasticsearchEventSource>(host.Services.GetRequiredService<IEventSource>());
    }

    [Fact]
    public async Task AddRadiator_ConfiguredKpisReplaceDefaults()
    {
        await using var host = await RadiatorHost.StartAsync(new()
        {
            ["Radiator:Pulse:Kpis:0:Name"] = "signups",
            ["Radiator:Pulse:Kpis:0:Aggregation"] = "Rate",
            ["Radiator:Pulse:Kpis:0:Window"] = "00:15:00",
        });

        var kpi = Assert.Single(host.Services.GetRequiredService<IOptions<PulseOptions>>().Value.Kpis);
        Assert.Equal(KpiAggregation.Rate, kpi.Aggregation);
        Assert.Equal(TimeSpan.FromMinutes(15), kpi.Window);
    }

    [Theory]
    [InlineData("Radiator:Pulse:Kpis:0:Window", "00:07:00", "divide a day")]
    [InlineData("Radiator:Pulse:Kpis:0:Name", "", "Name")]
    [InlineData("Radiator:Pulse:Channels:0", "pulse", "platform:channel")]
    [InlineData("Radiator:Deployments:Channels:0", "deploys", "platform:channel")]
    [InlineData("Radiator:RollupRetention", "2.00:00:00", "RollupRetention")]
    [InlineData("Radiator:Simulator:Tick", "00:00:00", "Tick")]
    public async Task AddRadiator_BadConfiguration_FailsAtStart(string key, string value, string mentioned)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.StartsWith("Radiator:Pulse:Kpis:0", StringComparison.Ordinal) && !key.EndsWith("Name", StringComparison.Ordinal))
        {
            settings["Radiator:Pulse:Kpis:0:Name"] = "logins";
        }

        var root = Directory.CreateTempSubdirectory("radiator-bad-").FullName;
        await using var app = RadiatorHost.Build(settings, new FakeChatSender(), new FakeTimeProvider(), root);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRadiator_WatchIndexConfigured_PostsDeploymentsFoundInElasticsearch()
    {
        await using var peer = await Events.ElasticsearchPeer.StartAsync();
        var time = new FakeTimeProvider();
        peer.AddDocument("deploys-ci", "x1", new System.Text.Json.Nodes.JsonObject
        {
            ["@timestamp"] = time.GetUtcNow().AddMinutes(-2).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["id"] = "ci-991",
            ["who"] = "ci-bot",
            ["environment"] = "prod",
            ["verb"] = "deploy",
            ["version"] = "7.1.0",
            ["duration_ms"] = 61_000,
            ["result"] = "succeeded",
        });

        await using var host = await RadiatorHost.StartAsync(new()
        {
            ["Elasticsearch:Url"] = peer.Url.ToString(),
            ["Radiator:Deployments:WatchIndex"] = "deploys-ci",
        }, time);

        await host.Chat.WaitForPostsAsync(1);
        await OutboxKit.DrainAsync(host.Services);
        var (destination, message) = Assert.Single(host.Chat.Posts);
        Assert.Equal(new ChatDestination("webchat", "deploys"), destination);
        Assert.Equal("✅ *prod*: deploy version `7.1.0` by ci-bot succeeded after 1 minute, 1 second", message.Text);
    }

    [Fact]
    public async Task AddRadiator_NoElasticsearchAndSimulatorUnset_SimulatorFeedsTheStore()
    {
        await using var host = await RadiatorHost.StartAsync(new() { ["Radiator:Simulator:Enabled"] = null });
        var ct = TestContext.Current.CancellationToken;
        var store = host.Services.GetRequiredService<EmbeddedEventStore>();

        // The simulator's timer starts on a background thread; keep moving the clock until it has ticked.
        await Wait.UntilAsync(
            async () =>
            {
                host.Time.Advance(TimeSpan.FromSeconds(5));
                return await store.CountEventsAsync(ct) > 0;
            },
            "the simulator's first events");
    }

    // A simulator tick and a deployment watch interval that no other service waits for, so each one's timer is told apart.
    private static readonly TimeSpan SimulatorTick = TimeSpan.FromMilliseconds(3_700);
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(11_300);

    [Fact]
    public async Task AddRadiator_ElasticsearchConfiguredAndSimulatorUnset_SimulatorIsOff()
    {
        await using var peer = await Events.ElasticsearchPeer.StartAsync();
        var time = new ObservedTimeProvider();
        await using var host = await StartWithWatcherAsync(peer, time, simulatorEnabled: null);

        await AdvancePastWatcherPollsAsync(peer, time, polls: 3);

        // The deployment watcher, started after the simulator would have been, has polled three times on the
        // same clock, each interval past three simulator ticks: a simulator that ran would have made its timer.
        Assert.DoesNotContain(SimulatorTick, time.Timers);
        Assert.Empty(peer.Documents("radiator-events"));
    }

    [Fact]
    public async Task AddRadiator_ElasticsearchConfiguredAndSimulatorOn_ItsTimerIsSeenAndItWrites()
    {
        await using var peer = await Events.ElasticsearchPeer.StartAsync();
        var time = new ObservedTimeProvider();
        await using var host = await StartWithWatcherAsync(peer, time, simulatorEnabled: "true");

        await time.WaitForTimerAsync(t => t == SimulatorTick, "the simulator's timer");
        await AdvancePastWatcherPollsAsync(peer, time, polls: 3);

        await Wait.UntilAsync(() => peer.Documents("radiator-events").Count > 0, "the simulator's events in Elasticsearch");
    }

    private static Task<RadiatorHost> StartWithWatcherAsync(Events.ElasticsearchPeer peer, ObservedTimeProvider time, string? simulatorEnabled) =>
        RadiatorHost.StartAsync(new()
        {
            ["Radiator:Simulator:Enabled"] = simulatorEnabled,
            ["Radiator:Simulator:Tick"] = SimulatorTick.ToString(),
            ["Elasticsearch:Url"] = peer.Url.ToString(),
            ["Radiator:Deployments:WatchIndex"] = "deploys-ci",
            ["Radiator:Deployments:WatchInterval"] = WatchInterval.ToString(),
        }, time);

    /// <summary>Moves the clock one watch interval at a time, each time until the deployment watcher has searched again.</summary>
    private static async Task AdvancePastWatcherPollsAsync(Events.ElasticsearchPeer peer, ObservedTimeProvider time, int polls)
    {
        await time.WaitForTimerAsync(t => t == WatchInterval, "the deployment watcher's timer");
        await Wait.UntilAsync(() => peer.Searches > 0, "the deployment watcher's first search");
        for (var i = 1; i <= polls; i++)
        {
            var before = peer.Searches;
            time.Advance(WatchInterval);
            await Wait.UntilAsync(() => peer.Searches > before, $"the deployment watcher's search after {i} intervals");
        }
    }

    [Fact]
    public async Task PostNowAsync_ThroughDi_PostsToWebChatPulse()
    {
        await using var host = await RadiatorHost.StartAsync(new() { ["Radiator:Pulse:Kpis:0:Name"] = "logins" });
        var ct = TestContext.Current.CancellationToken;
        var store = host.Services.GetRequiredService<EmbeddedEventStore>();
        await store.AppendAsync([new RadiatorEvent(host.Time.GetUtcNow().AddMinutes(-1), "logins")], ct);

        await host.Services.GetRequiredService<PulseService>().PostNowAsync(ct);
        await OutboxKit.DrainAsync(host.Services);

        var (destination, _) = Assert.Single(host.Chat.Posts);
        Assert.Equal(new ChatDestination("webchat", "pulse"), destination);
    }

    [Fact]
    public async Task PostPulse_IdempotencyKey_RetriedRequestPostsOnce()
    {
        await using var host = await RadiatorHost.StartAsync(new() { ["Radiator:Pulse:Kpis:0:Name"] = "logins" });
        var ct = TestContext.Current.CancellationToken;
        await host.Services.GetRequiredService<EmbeddedEventStore>().AppendAsync([new RadiatorEvent(host.Time.GetUtcNow().AddMinutes(-1), "logins")], ct);

        async Task<System.Net.HttpStatusCode> PostAsync(string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pulse");
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            using var response = await host.Http.SendAsync(request, ct);
            return response.StatusCode;
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync("k-1"));
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync("k-1"));
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(null));
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(null));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, await PostAsync(new string('k', 201)));
        await OutboxKit.DrainAsync(host.Services);

        Assert.Equal(3, host.Chat.Posts.Count);
    }
}
