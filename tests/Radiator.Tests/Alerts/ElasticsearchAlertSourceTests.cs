using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Metrics;
using ChatOps.Radiator.Alerts;
using ChatOps.Radiator.Tests.Events;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>Alert sources tailed from a loopback Elasticsearch that checks every request against the vendor spec.</summary>
public sealed class ElasticsearchAlertSourceTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task PollAsync_KibanaAlertsAsData_FiresThenResolvesOnTheRecoveredUpdate()
    {
        await using var kit = await AlertKit.StartAsync();
        await using var peer = await ElasticsearchPeer.StartAsync();
        var now = kit.Time.GetUtcNow();
        peer.AddDocument(".alerts-observability.metrics.alerts-default", "u1", Kibana("u1", "active", now.AddMinutes(-2)));
        var source = CreateSut(kit, peer, new AlertSourceOptions { Name = "kibana", Preset = AlertPreset.Kibana });

        Assert.Equal(1, await source.PollAsync(Ct));
        Assert.Equal(0, await source.PollAsync(Ct)); // nothing new after the cursor
        peer.AddDocument(".alerts-observability.metrics.alerts-default", "u1", Kibana("u1", "recovered", now.AddMinutes(-1)));
        Assert.Equal(1, await source.PollAsync(Ct));

        var key = Assert.Single(await kit.AlertPostsAsync());
        var text = (await kit.ShownAsync(key)).Text;
        Assert.Contains("[CRITICAL] CPU high", text);
        Assert.Contains("resolved by elasticsearch", text);
        var alert = Assert.Single(await kit.Service.ListAsync(true, Ct));
        Assert.Equal("prod", alert.Labels["environment"]);
        Assert.Empty(peer.ContractErrors);
    }

    [Fact]
    public async Task PollAsync_Ecs_ReadsOnlyEventKindAlert()
    {
        await using var kit = await AlertKit.StartAsync();
        await using var peer = await ElasticsearchPeer.StartAsync();
        var now = kit.Time.GetUtcNow();
        peer.AddDocument("logs-app", "e1", Ecs("e1", "alert", now.AddMinutes(-3), 80));
        peer.AddDocument("logs-app", "e2", Ecs("e2", "event", now.AddMinutes(-2), 80));
        var source = CreateSut(kit, peer, new AlertSourceOptions { Name = "ecs", Preset = AlertPreset.Ecs, Index = "logs-*" });

        await source.PollAsync(Ct);

        var alert = Assert.Single(await kit.Service.ListAsync(true, Ct));
        Assert.Equal("critical", alert.Severity);
        Assert.Equal("Error rate", alert.Title);
        Assert.Single(await kit.AlertPostsAsync());
        Assert.Empty(peer.ContractErrors);
    }

    [Fact]
    public async Task RunOnceAsync_SourceDownForTwoMinutes_OneDegradedNoticeThenCatchUpWithoutGapsOrRepeats()
    {
        await using var kit = await AlertKit.StartAsync();
        await using var peer = await ElasticsearchPeer.StartAsync();
        var start = kit.Time.GetUtcNow();
        peer.AddDocument("logs-app", "e1", Ecs("e1", "alert", start.AddMinutes(-1), 50, rule: "r1"));
        var source = CreateSut(kit, peer, new AlertSourceOptions { Name = "ecs", Preset = AlertPreset.Ecs, Index = "logs-*" });
        await source.RunOnceAsync(Ct);

        peer.FailWith = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 4; i++)
        {
            kit.Time.Advance(TimeSpan.FromSeconds(30));
            peer.AddDocument("logs-app", $"d{i}", Ecs($"d{i}", "alert", kit.Time.GetUtcNow(), 50, rule: $"down-{i}"));
            await source.RunOnceAsync(Ct);
        }

        Assert.True(kit.Health.IsDegraded("ecs"));
        Assert.Contains("chatops_alert_source_up{source=\"ecs\"} 0", await Metrics(kit));
        Assert.Contains("# TYPE chatops_alert_source_failures_total counter\nchatops_alert_source_failures_total{source=\"ecs\"} ", await Metrics(kit));
        Assert.Contains("chatops_alert_source_lag_seconds{source=\"ecs\"} 120", await Metrics(kit)); // the last complete read was before the outage
        Assert.Contains("chatops_alert_source_newest_age_seconds{source=\"ecs\"} 180", await Metrics(kit));
        peer.FailWith = null;
        kit.Time.Advance(TimeSpan.FromSeconds(30));
        await source.RunOnceAsync(Ct);
        await source.RunOnceAsync(Ct);

        Assert.Single(await kit.NoticesAsync("degraded"));
        Assert.Single(await kit.NoticesAsync("recovered"));
        Assert.False(kit.Health.IsDegraded("ecs"));
        Assert.Equal(5, (await kit.AlertPostsAsync()).Count); // e1 and the four written while it was down, each once
        Assert.Equal(5, (await kit.Service.ListAsync(true, Ct)).Count);
        Assert.Contains("chatops_alert_source_up{source=\"ecs\"} 1", await Metrics(kit));
        Assert.Contains("chatops_alert_source_lag_seconds{source=\"ecs\"} 0", await Metrics(kit)); // caught up
        Assert.Empty(peer.ContractErrors);
    }

    [Fact]
    public void Read_ElastAlert2Writeback_IsAFiringAlertPerRuleAndKey()
    {
        var mapping = AlertFieldMapping.For(new AlertSourceOptions { Name = "ea", Preset = AlertPreset.ElastAlert2 });
        var document = JsonNode.Parse("""
            {"rule_name":"Disk full","alert_time":"2026-11-22T09:00:00Z","alert_sent":true,
             "match_body":{"@timestamp":"2026-11-22T08:59:30Z","query_key":"web1","message":"/var 98%","host":{"name":"web1"}}}
            """)!;
        var other = JsonNode.Parse("""{"rule_name":"Disk full","alert_time":"2026-11-22T09:00:00Z","match_body":{"query_key":"web2"}}""")!;

        var signal = AlertDocumentReader.Read(System.Text.Json.JsonSerializer.SerializeToElement(document), mapping, "ea")!;
        var second = AlertDocumentReader.Read(System.Text.Json.JsonSerializer.SerializeToElement(other), mapping, "ea")!;

        Assert.True(signal.Firing);
        Assert.Equal("Disk full", signal.Title);
        Assert.Equal("/var 98%", signal.Description);
        Assert.Equal("web1", signal.Labels["host"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 59, 30, TimeSpan.Zero), signal.StartsAt);
        Assert.NotEqual(signal.Fingerprint, second.Fingerprint);
        Assert.Equal(("elastalert_status", "alert_time"), (mapping.Index, mapping.TimestampField));
    }

    [Fact]
    public void Read_NoFingerprintField_IsSkipped()
    {
        var mapping = AlertFieldMapping.For(new AlertSourceOptions { Name = "k", Preset = AlertPreset.Kibana });

        Assert.Null(AlertDocumentReader.Read(System.Text.Json.JsonSerializer.SerializeToElement(new { message = "x" }), mapping, "k"));
    }

    [Fact]
    public void For_CustomMapping_OverridesThePreset()
    {
        var mapping = AlertFieldMapping.For(new AlertSourceOptions
        {
            Name = "c", Preset = AlertPreset.Kibana, Index = "my-alerts", TitleField = "name", FingerprintFields = ["key"],
        });

        Assert.Equal(("my-alerts", "name", "kibana.alert.status"), (mapping.Index, mapping.TitleField, mapping.StatusField));
        Assert.Equal(["key"], mapping.FingerprintFields);
    }

    private static async Task<string> Metrics(AlertKit kit)
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var exporter = new PrometheusExporter(factory, [new AlertMetrics(kit.Store, kit.Health, kit.Time, factory)]);
        return await exporter.ScrapeAsync(TestContext.Current.CancellationToken);
    }

    private static ElasticsearchAlertSource CreateSut(AlertKit kit, ElasticsearchPeer peer, AlertSourceOptions options) =>
        new(options, peer.CreateClient(kit.Time), kit.Service, kit.Store, kit.Health, kit.Ownership, kit.Time, TestStore.Logger<ElasticsearchAlertSource>());

    private static JsonObject Kibana(string uuid, string status, DateTimeOffset at) => new()
    {
        ["@timestamp"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["kibana.alert.uuid"] = uuid,
        ["kibana.alert.rule.uuid"] = "rule-1",
        ["kibana.alert.instance.id"] = "web1",
        ["kibana.alert.status"] = status,
        ["kibana.alert.rule.name"] = "CPU high",
        ["kibana.alert.severity"] = "critical",
        ["kibana.alert.reason"] = "CPU usage is 97% on web1",
        ["kibana.alert.start"] = at.AddMinutes(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["service.environment"] = "prod",
        ["host.name"] = "web1",
    };

    private static JsonObject Ecs(string id, string kind, DateTimeOffset at, int severity, string rule = "rule-err") => new()
    {
        ["@timestamp"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["event.id"] = id,
        ["event.kind"] = kind,
        ["event.severity"] = severity,
        ["rule.id"] = rule,
        ["rule.name"] = "Error rate",
        ["host.name"] = "web1",
        ["message"] = "5xx above 2%",
    };
}
