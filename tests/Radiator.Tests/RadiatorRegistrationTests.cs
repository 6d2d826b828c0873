using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Deployments;
using ChatOps.Radiator.Events;
using ChatOps.Radiator.Pulse;
using ChatOps.TestCommon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        await using var app = RadiatorHost.Build(settings, new FakeChatSender(), new ManualTimeProvider(), root);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostNowAsync_ThroughDi_PostsToWebChatPulse()
    {
        await using var host = await RadiatorHost.StartAsync(new() { ["Radiator:Pulse:Kpis:0:Name"] = "logins" });
        var ct = TestContext.Current.CancellationToken;
        var store = host.Services.GetRequiredService<EmbeddedEventStore>();
        await store.AppendAsync([new RadiatorEvent(host.Time.GetUtcNow().AddMinutes(-1), "logins")], ct);

        await host.Services.GetRequiredService<PulseService>().PostNowAsync(ct);

        var (destination, _) = Assert.Single(host.Chat.Posts);
        Assert.Equal(new ChatDestination("webchat", "pulse"), destination);
    }
}
