using ChatOps.Radiator.Alerts;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>Alerts of one group stay their own messages; the group's oldest open alert lists the group, the others point to it.</summary>
public sealed class AlertGroupTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReceiveAsync_SecondAlertOfAGroup_OwnMessageAndTheLeadListsIt()
    {
        await using var kit = await AlertKit.StartAsync();
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct));
        var (member, _) = await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct));

        Assert.Equal(2, (await kit.AlertPostsAsync()).Count); // each alert is its own top-level message
        Assert.Contains($"🧵 Group alertname=DiskFull, environment=prod: 2 open (2 firing, 0 acknowledged), also #{member.Id}", await ContextAsync(kit, "disk-web1"));
        Assert.Contains("🧵 Group alertname=DiskFull, environment=prod: its oldest open alert lists the group", await ContextAsync(kit, "disk-web2"));
    }

    [Fact]
    public async Task AcknowledgeAsync_Member_LeadCountsItAcknowledged()
    {
        await using var kit = await AlertKit.StartAsync();
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct));
        var (member, _) = await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct));

        await DeliveredAsync(kit, kit.Service.AcknowledgeAsync(member.Id, "alice", Ct));

        Assert.Contains("2 open (1 firing, 1 acknowledged)", await ContextAsync(kit, "disk-web1"));
    }

    [Fact]
    public async Task ReceiveAsync_MemberResolves_LeadNoLongerShowsAGroup()
    {
        await using var kit = await AlertKit.StartAsync();
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct));
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct));

        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web2", "web2", firing: false), Ct));

        Assert.DoesNotContain("🧵", await ContextAsync(kit, "disk-web1"));
    }

    [Fact]
    public async Task ResolveAsync_Lead_NextOldestOpenAlertLeads()
    {
        await using var kit = await AlertKit.StartAsync();
        var (lead, _) = await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct));
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct));
        var (third, _) = await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web3", "web3"), Ct));

        await DeliveredAsync(kit, kit.Service.ResolveAsync(lead.Id, "bob", Ct));

        Assert.DoesNotContain("🧵", await ContextAsync(kit, "disk-web1"));
        Assert.Contains($"2 open (2 firing, 0 acknowledged), also #{third.Id}", await ContextAsync(kit, "disk-web2"));
        Assert.Contains("its oldest open alert lists the group", await ContextAsync(kit, "disk-web3"));
    }

    [Fact]
    public async Task ReceiveAsync_OlderAlertFiresAgain_LeadsAndTheFormerLeadStopsListing()
    {
        await using var kit = await AlertKit.StartAsync();
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct));
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web1", "web1", firing: false), Ct));
        var (second, _) = await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct));
        var (third, _) = await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web3", "web3"), Ct));
        Assert.Contains($"also #{third.Id}", await ContextAsync(kit, "disk-web2"));

        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct));

        Assert.Contains($"3 open (3 firing, 0 acknowledged), also #{second.Id} #{third.Id}",
            string.Join('\n', (await kit.ShownAsync("alert:disk-web1:fired-2:webchat:alerts")).Context));
        Assert.Contains("its oldest open alert lists the group", await ContextAsync(kit, "disk-web2"));
        Assert.DoesNotContain("also #", await ContextAsync(kit, "disk-web2"));
        Assert.Contains("its oldest open alert lists the group", await ContextAsync(kit, "disk-web3"));
    }

    [Fact]
    public async Task ReceiveAsync_OtherEnvironment_IsAnotherGroup()
    {
        await using var kit = await AlertKit.StartAsync();
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct));
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-stage1", "stage1", environment: "staging"), Ct));

        Assert.DoesNotContain("🧵", await ContextAsync(kit, "disk-web1"));
        Assert.DoesNotContain("🧵", await ContextAsync(kit, "disk-stage1"));
    }

    [Fact]
    public async Task ReceiveAsync_MemberHeldBackByAMute_IsNotListed()
    {
        await using var kit = await AlertKit.StartAsync();
        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct));
        await DeliveredAsync(kit, kit.Service.MuteAsync("instance=web2", TimeSpan.FromHours(1), "carol", Ct));

        await DeliveredAsync(kit, kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct));

        Assert.Single(await kit.AlertPostsAsync());
        Assert.DoesNotContain("🧵", await ContextAsync(kit, "disk-web1"));
    }

    /// <summary>
    /// A change, then its delivery: each change reaches the channel before the next, so a lead's message is
    /// edited on the platform, not only its waiting post replaced.
    /// </summary>
    private static async Task<T> DeliveredAsync<T>(AlertKit kit, Task<T> change)
    {
        var result = await change;
        await kit.DeliverAsync();
        return result;
    }

    /// <summary>What the channel shows now under the first message of the alert <paramref name="fingerprint"/>.</summary>
    private static async Task<string> ContextAsync(AlertKit kit, string fingerprint) =>
        string.Join('\n', (await kit.ShownAsync($"alert:{fingerprint}:fired-1:webchat:alerts")).Context);

    private static AlertSignal Signal(string fingerprint, string instance, bool firing = true, string environment = "prod") =>
        new(fingerprint, firing, $"Disk full on {instance}", "critical",
            new Dictionary<string, string> { ["alertname"] = "DiskFull", ["environment"] = environment, ["instance"] = instance }, null, null, "webhook");
}
