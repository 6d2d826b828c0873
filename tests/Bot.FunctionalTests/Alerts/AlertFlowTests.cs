using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests.Alerts;

/// <summary>An alert from the webhook to #alerts, acknowledged by button and resolved by command, in the real host.</summary>
public sealed class AlertFlowTests : HostTest
{
    private static object Firing(string fingerprint = "disk-web1") => new
    {
        fingerprint,
        status = "firing",
        title = "Disk full on web1",
        severity = "critical",
        labels = new { alertname = "DiskFull", environment = "prod" },
        description = "/var is 98% full",
    };

    [Fact]
    public async Task WebhookAlert_AcknowledgedByButtonAndResolvedByCommand_EditsOneMessage()
    {
        var id = await PostAsync(Firing());

        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Disk full on web1")), channel: "alerts");
        Assert.Contains("firing", posted.Text);
        Assert.Equal(["Acknowledge", "Resolve", "Mute"], posted.Buttons.Select(b => b.Label));

        var press = await Chat.PressAsync("alice", posted.Id, posted.Action("alert-ack:"), channel: "alerts");
        Assert.True(press.IsSuccessStatusCode);
        var acknowledged = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == posted.Id && m.Text.Contains("acknowledged by alice")), channel: "alerts");
        Assert.DoesNotContain(acknowledged.Buttons, b => b.Label == "Acknowledge");

        await Chat.SayAsync("bob", $"/alert resolve {id}");
        var resolved = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == posted.Id && m.Text.Contains("resolved by bob")), channel: "alerts");
        Assert.Empty(resolved.Buttons);

        var state = await Chat.GetJsonAsync($"/api/alerts/{id}");
        Assert.Equal("resolved", state.GetProperty("status").GetString());
        Assert.Equal("alice", state.GetProperty("acknowledgedBy").GetString());
        var messages = await Chat.MessagesAsync("alerts");
        Assert.Single(messages, m => m.User == "bot" && m.Text.Contains("Disk full on web1"));
        var audit = (await Chat.GetJsonAsync("/api/audit")).EnumerateArray().Select(e => e.ToString()).ToList();
        Assert.Contains(audit, e => e.Contains("alert-ack") && e.Contains($"alert #{id}: done"));
        Assert.Contains(audit, e => e.Contains("alert-resolve") && e.Contains($"alert #{id}: done"));
    }

    [Fact]
    public async Task Webhook_RedeliveredAlert_PostsOnce()
    {
        var id = await PostAsync(Firing("cpu-1"));
        Assert.Equal(id, await PostAsync(Firing("cpu-1")));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Disk full")), channel: "alerts");

        // A later alert in the same channel proves the dispatcher has passed the first.
        await PostAsync(Firing("cpu-2"));
        await Chat.WaitForAsync(ms => ms.Count(m => m.User == "bot" && m.Text.Contains("Disk full")) >= 2 ? ms[0] : null, channel: "alerts");

        var messages = await Chat.MessagesAsync("alerts");
        Assert.Equal(2, messages.Count(m => m.User == "bot" && m.Text.Contains("Disk full")));
    }

    [Fact]
    public async Task AlertCommand_AckAndList_ShowWhoAcknowledged()
    {
        var id = await PostAsync(Firing("mem-1"));
        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Disk full")), channel: "alerts");

        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", $"/alert ack {id}"));
        Assert.Contains($"Acknowledged #{id}", reply.Text);
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == posted.Id && m.Text.Contains("acknowledged by carol")), channel: "alerts");

        var list = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/alert list"));
        Assert.Contains($"#{id}", list.Text);
        Assert.Contains("acknowledged by carol", list.Text);

        var unknown = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/alert ack 9999"));
        Assert.Contains("no alert #9999", unknown.Text);
    }

    [Theory]
    [InlineData("""{"status":"firing","title":"x"}""", "fingerprint")]
    [InlineData("""{"fingerprint":"a","status":"burning","title":"x"}""", "status")]
    [InlineData("""{"fingerprint":"a","status":"firing","title":"x","startsAt":"yesterday"}""", "startsAt")]
    [InlineData("""{"fingerprint":"a","status":"firing","title":"x","labels":{"env":1}}""", "labels.env")]
    [InlineData("""{"alerts":[{"status":"firing","labels":{}}]}""", "alerts[0].labels")]
    [InlineData("""{"fingerprint":""", "JSON")]
    public async Task Webhook_BadInput_Is400NamingTheField(string body, string field)
    {
        var response = await Chat.Http.PostAsync("/api/alerts", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, (await Chat.GetJsonAsync("/api/alerts")).GetArrayLength());
    }

    private async Task<long> PostAsync(object alert)
    {
        var response = await Chat.Http.PostAsJsonAsync("/api/alerts", alert, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("alerts")[0].GetProperty("id").GetInt64();
    }
}
