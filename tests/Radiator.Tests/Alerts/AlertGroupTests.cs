using ChatOps.Radiator.Alerts;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>Alerts of one group stay their own messages; the group's oldest open alert lists the group, the others point to it.</summary>
public sealed class AlertGroupTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReceiveAsync_SecondAlertOfAGroup_OwnMessageAndTheLeadListsIt()
    {
        using var kit = await new AlertKit().StartAsync();
        await kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct);
        var (member, _) = await kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct);

        Assert.Equal(2, kit.AlertPosts.Count); // each alert is its own top-level message
        Assert.Contains($"🧵 Group alertname=DiskFull, environment=prod: 2 open (2 firing, 0 acknowledged), also #{member.Id}", Context(kit, "disk-web1"));
        Assert.Contains("🧵 Group alertname=DiskFull, environment=prod: its oldest open alert lists the group", Context(kit, "disk-web2"));
    }

    [Fact]
    public async Task AcknowledgeAsync_Member_LeadCountsItAcknowledged()
    {
        using var kit = await new AlertKit().StartAsync();
        await kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct);
        var (member, _) = await kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct);

        await kit.Service.AcknowledgeAsync(member.Id, "alice", Ct);

        Assert.Contains("2 open (1 firing, 1 acknowledged)", Context(kit, "disk-web1"));
    }

    [Fact]
    public async Task ReceiveAsync_MemberResolves_LeadNoLongerShowsAGroup()
    {
        using var kit = await new AlertKit().StartAsync();
        await kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct);
        await kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct);

        await kit.Service.ReceiveAsync(Signal("disk-web2", "web2", firing: false), Ct);

        Assert.DoesNotContain("🧵", Context(kit, "disk-web1"));
    }

    [Fact]
    public async Task ResolveAsync_Lead_NextOldestOpenAlertLeads()
    {
        using var kit = await new AlertKit().StartAsync();
        var (lead, _) = await kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct);
        await kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct);
        var (third, _) = await kit.Service.ReceiveAsync(Signal("disk-web3", "web3"), Ct);

        await kit.Service.ResolveAsync(lead.Id, "bob", Ct);

        Assert.DoesNotContain("🧵", Context(kit, "disk-web1"));
        Assert.Contains($"2 open (2 firing, 0 acknowledged), also #{third.Id}", Context(kit, "disk-web2"));
        Assert.Contains("its oldest open alert lists the group", Context(kit, "disk-web3"));
    }

    [Fact]
    public async Task ReceiveAsync_OlderAlertFiresAgain_LeadsAndTheFormerLeadStopsListing()
    {
        using var kit = await new AlertKit().StartAsync();
        await kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct);
        await kit.Service.ReceiveAsync(Signal("disk-web1", "web1", firing: false), Ct);
        var (second, _) = await kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct);
        var (third, _) = await kit.Service.ReceiveAsync(Signal("disk-web3", "web3"), Ct);
        Assert.Contains($"also #{third.Id}", Context(kit, "disk-web2"));

        await kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct);

        Assert.Contains($"3 open (3 firing, 0 acknowledged), also #{second.Id} #{third.Id}",
            string.Join('\n', kit.Outbox.Shown("alert:disk-web1:fired-2:webchat:alerts").Context));
        Assert.Contains("its oldest open alert lists the group", Context(kit, "disk-web2"));
        Assert.DoesNotContain("also #", Context(kit, "disk-web2"));
        Assert.Contains("its oldest open alert lists the group", Context(kit, "disk-web3"));
    }

    [Fact]
    public async Task ReceiveAsync_OtherEnvironment_IsAnotherGroup()
    {
        using var kit = await new AlertKit().StartAsync();
        await kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct);
        await kit.Service.ReceiveAsync(Signal("disk-stage1", "stage1", environment: "staging"), Ct);

        Assert.DoesNotContain("🧵", Context(kit, "disk-web1"));
        Assert.DoesNotContain("🧵", Context(kit, "disk-stage1"));
    }

    [Fact]
    public async Task ReceiveAsync_MemberHeldBackByAMute_IsNotListed()
    {
        using var kit = await new AlertKit().StartAsync();
        await kit.Service.ReceiveAsync(Signal("disk-web1", "web1"), Ct);
        await kit.Service.MuteAsync("instance=web2", TimeSpan.FromHours(1), "carol", Ct);

        await kit.Service.ReceiveAsync(Signal("disk-web2", "web2"), Ct);

        Assert.Single(kit.AlertPosts);
        Assert.DoesNotContain("🧵", Context(kit, "disk-web1"));
    }

    private static string Context(AlertKit kit, string fingerprint) =>
        string.Join('\n', kit.Outbox.Shown($"alert:{fingerprint}:fired-1:webchat:alerts").Context);

    private static AlertSignal Signal(string fingerprint, string instance, bool firing = true, string environment = "prod") =>
        new(fingerprint, firing, $"Disk full on {instance}", "critical",
            new Dictionary<string, string> { ["alertname"] = "DiskFull", ["environment"] = environment, ["instance"] = instance }, null, null, "webhook");
}
