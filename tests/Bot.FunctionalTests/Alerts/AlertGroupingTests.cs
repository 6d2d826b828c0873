using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests.Alerts;

/// <summary>Alerts of one group in the real host: each its own message, the oldest listing the group, kept true as members come and go.</summary>
public sealed class AlertGroupingTests : HostTest
{
    [Fact]
    public async Task AlertsOfOneGroup_EachItsOwnMessage_TheOldestListsTheGroupUntilTheOthersResolve()
    {
        await PostAsync("disk-web1", "web1", "prod");
        var second = await PostAsync("disk-web2", "web2", "prod");
        await PostAsync("disk-stage1", "stage1", "staging");

        var lead = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Text.Contains("Disk full on web1") && m.Context.Any(c => c.Contains($"also #{second}"))), channel: "alerts");
        Assert.Contains(lead.Context, c => c.Contains("Group alertname=DiskFull, environment=prod: 2 open (2 firing, 0 acknowledged)"));
        var member = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Text.Contains("Disk full on web2")), channel: "alerts");
        Assert.Contains(member.Context, c => c.Contains("Group alertname=DiskFull, environment=prod: its oldest open alert lists the group"));
        Assert.Equal(["Acknowledge", "Resolve", "Mute"], member.Buttons.Select(b => b.Label)); // acknowledged on its own message
        var other = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Text.Contains("Disk full on stage1")), channel: "alerts");
        Assert.DoesNotContain(other.Context, c => c.Contains("🧵"));

        await Chat.PressAsync("alice", member.Id, member.Action("alert-ack:"), channel: "alerts");
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == lead.Id && m.Context.Any(c => c.Contains("2 open (1 firing, 1 acknowledged)"))), channel: "alerts");

        await Chat.SayAsync("bob", $"/alert resolve {second}");
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == lead.Id && !m.Context.Any(c => c.Contains("🧵"))), channel: "alerts");
        Assert.Equal(3, (await Chat.MessagesAsync("alerts")).Count(m => m.User == "bot" && m.Text.Contains("Disk full")));
    }

    private async Task<long> PostAsync(string fingerprint, string host, string environment)
    {
        var alert = new { fingerprint, status = "firing", title = $"Disk full on {host}", severity = "critical", labels = new { alertname = "DiskFull", environment, instance = host } };
        var response = await Chat.Http.PostAsJsonAsync("/api/alerts", alert, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("alerts")[0].GetProperty("id").GetInt64();
    }
}
