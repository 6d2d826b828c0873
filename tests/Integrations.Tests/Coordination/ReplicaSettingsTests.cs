using ChatOps.Integrations.Coordination;
using ChatOps.TestCommon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Integrations.Tests.Coordination;

/// <summary>
/// Replicas compare the settings every replica must share through the digests they record with their heartbeat: a live
/// one that differs makes <c>/healthz</c>'s <c>replica-settings</c> degraded, naming it and the sections.
/// </summary>
public sealed class ReplicaSettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static IConfiguration Shared(string slackInterval, string name, string rolesKey = "Identity:Roles:ops:0") => Config(
        ("ChatDelivery:Limits:slack:TokenInterval", slackInterval), (rolesKey, "webchat:alice"), ("Replicas:Name", name),
        ("Urls", $"http://127.0.0.1:50{name.Length}"), ("Slack:BotToken", $"xoxb-{name}"));

    [Fact]
    public async Task Heartbeat_LiveReplicaWithOtherSharedSettings_DegradedNamingItAndTheSectionsUntilItIsGone()
    {
        await using var harness = await ReplicaHarness.CreateAsync();
        // Its own name, address and token differ by design; the roles differ only in the case of a key, as configuration reads them alike.
        var a = harness.Create("a", Shared("00:00:01", "a"));
        var b = harness.Create("b", Shared("00:00:02", "b", rolesKey: "identity:roles:OPS:0"));
        var c = harness.Create("c", Shared("00:00:01", "c"));
        // From a build that recorded no digests: nothing to compare.
        var old = harness.Create("old");
        foreach (var replica in new[] { a, b, c, old })
        {
            await replica.Heartbeat.RegisterAsync(Ct);
        }

        foreach (var replica in new[] { a, b, c })
        {
            await replica.Heartbeat.BeatAsync(Ct);
        }

        var whileLive = await a.SettingsCheck.CheckHealthAsync(new HealthCheckContext(), Ct);
        var seenByB = await b.SettingsCheck.CheckHealthAsync(new HealthCheckContext(), Ct);
        var seenByC = await c.SettingsCheck.CheckHealthAsync(new HealthCheckContext(), Ct);
        // b dies: past DeadAfter without a heartbeat, while a keeps beating.
        harness.Time.Advance(ReplicaHarness.Settings.DeadAfter + TimeSpan.FromSeconds(1));
        await a.Heartbeat.BeatAsync(Ct);
        var afterB = await a.SettingsCheck.CheckHealthAsync(new HealthCheckContext(), Ct);

        Assert.Equal(HealthStatus.Degraded, whileLive.Status);
        Assert.Contains("(b: ChatDelivery)", whileLive.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, seenByB.Status);
        Assert.Contains("a: ChatDelivery; c: ChatDelivery", seenByB.Description, StringComparison.Ordinal);
        Assert.Contains("(b: ChatDelivery)", seenByC.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, afterB.Status);
        Assert.Null(a.SettingsCheck.Differences);
    }

    [Fact]
    public void Differing_SectionBySection_NamesOnlyThoseThatDiffer()
    {
        var mine = ReplicaSettings.Encode(Config(("Radiator:Pulse:Tick", "00:00:01"), ("Workflows:Up:Timeout", "00:05:00")));
        var theirs = ReplicaSettings.Encode(Config(("Radiator:Pulse:Tick", "00:00:02"), ("Workflows:Up:Timeout", "00:05:00"), ("Replicas:DeadAfter", "00:00:30")));

        Assert.Equal(["Radiator", "Replicas:DeadAfter"], ReplicaSettings.Differing(mine, theirs));
        Assert.Empty(ReplicaSettings.Differing(mine, mine));
        Assert.Empty(ReplicaSettings.Differing(mine, null));
        Assert.DoesNotContain("00:00:01", mine, StringComparison.Ordinal);
    }
}
