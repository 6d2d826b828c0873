using ChatOps.Radiator.Alerts;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>
/// A webhook's alerts apply as one batch: side by side across groups, one after another within a group, each result in
/// the order given, and each alert posted once, exactly as if they had come one at a time.
/// </summary>
public sealed class AlertBatchTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReceiveAsync_ManyGroups_ResultsInTheOrderGivenAndEachPostedOnce()
    {
        await using var kit = await AlertKit.StartAsync();
        var signals = Enumerable.Range(1, 40).Select(i => Signal($"disk-{i}", $"web{i}", environment: $"env{i}")).ToList();

        var results = await kit.Service.ReceiveAsync(signals, Ct);

        Assert.Equal(signals.Select(s => s.Fingerprint), results.Select(r => r.Alert.Fingerprint));
        Assert.All(results, r => Assert.True(r.Changed));
        Assert.Equal(signals.Select(s => $"alert:{s.Fingerprint}:fired-1:webchat:alerts").Order(StringComparer.Ordinal), await kit.AlertPostsAsync());
    }

    [Fact]
    public async Task ReceiveAsync_OneAlertSeveralTimes_AppliesInTheOrderGiven()
    {
        await using var kit = await AlertKit.StartAsync();

        var results = await kit.Service.ReceiveAsync(
            [Signal("disk-web1", "web1"), Signal("disk-other", "other", environment: "staging"), Signal("disk-web1", "web1", firing: false), Signal("disk-web1", "web1")], Ct);

        Assert.Equal(["firing", "firing", "resolved", "firing"], results.Select(r => r.Alert.StatusName));
        Assert.Equal(2, results[3].Alert.Generation);
        var stored = await kit.Store.GetAsync(results[3].Alert.Id, Ct);
        Assert.Equal(("firing", 2), (stored!.StatusName, stored.Generation));
    }

    [Fact]
    public async Task ReceiveAsync_MembersOfOneGroup_LeadListsEveryOneAsIfSentOneByOne()
    {
        await using var kit = await AlertKit.StartAsync();

        var results = await kit.Service.ReceiveAsync([.. Enumerable.Range(1, 5).Select(i => Signal($"disk-web{i}", $"web{i}"))], Ct);

        Assert.Equal(5, (await kit.AlertPostsAsync()).Count);
        var lead = string.Join('\n', (await kit.ShownAsync("alert:disk-web1:fired-1:webchat:alerts")).Context);
        var others = string.Join(' ', results.Skip(1).Select(r => $"#{r.Alert.Id}"));
        Assert.Contains($"🧵 Group alertname=DiskFull, environment=prod: 5 open (5 firing, 0 acknowledged), also {others}", lead, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_BurstIntoOneGroup_PostedInTheOrderItCameEachOnce()
    {
        await using var kit = await AlertKit.StartAsync();
        // Fingerprints out of key order, so only the order of arrival can explain the order of the posts.
        var signals = Enumerable.Range(0, 30).Select(i => Signal($"disk-{i * 7 % 30:00}", $"web{i}")).ToList();

        await kit.Service.ReceiveAsync(signals, Ct);
        await kit.DeliverAsync();

        var posted = kit.Chat.TopLevel.Select(p => p.Message.DeliveryKey ?? "").Where(k => k.StartsWith("alert:", StringComparison.Ordinal)).ToList();
        Assert.Equal(signals.Select(s => $"alert:{s.Fingerprint}:fired-1:webchat:alerts"), posted);
    }

    [Fact]
    public async Task ReceiveAsync_Repeated_ChangesNothingTheSecondTime()
    {
        await using var kit = await AlertKit.StartAsync();
        List<AlertSignal> signals = [Signal("disk-web1", "web1"), Signal("disk-web2", "web2", environment: "staging")];
        await kit.Service.ReceiveAsync(signals, Ct);

        var again = await kit.Service.ReceiveAsync(signals, Ct);

        Assert.All(again, r => Assert.False(r.Changed));
        Assert.Equal(2, (await kit.AlertPostsAsync()).Count);
    }

    private static AlertSignal Signal(string fingerprint, string instance, bool firing = true, string environment = "prod") =>
        new(fingerprint, firing, $"Disk full on {instance}", "critical",
            new Dictionary<string, string> { ["alertname"] = "DiskFull", ["environment"] = environment, ["instance"] = instance }, null, null, "webhook");
}
