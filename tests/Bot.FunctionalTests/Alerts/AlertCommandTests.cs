using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests.Alerts;

/// <summary>Mutes, roles, Alertmanager's webhook and the alert lines on /metrics, in the real host.</summary>
public sealed class AlertCommandTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    ["Radiator:Alerts:MuteRole"] = "ops", // alice is in ops by default
}))
{
    [Fact]
    public async Task Mute_ByAnOpsMember_EditsTheMessageAndPostsANotice()
    {
        await PostAsync(new { fingerprint = "f1", status = "firing", title = "Queue backlog", labels = new { alertname = "Backlog" } });
        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Queue backlog")), channel: "alerts");

        var refused = await Chat.BotReplyAsync(await Chat.SayAsync("mallory", "/alert mute alertname=Backlog 1h"));
        Assert.Contains("needs the `ops` role", refused.Text);

        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("alice", "/alert mute alertname=Backlog 1h"));
        Assert.Contains("Muted `alertname=Backlog` for 1 hour (1 open alert)", reply.Text);
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == posted.Id && m.Context.Any(c => c.Contains("Muted until"))), channel: "alerts");
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("alice muted `alertname=Backlog`")), channel: "alerts");
    }

    [Theory]
    [InlineData("/alert ack", "Which alert should I acknowledge?")]
    [InlineData("/alert ack forty-two", "is not an alert number")]
    [InlineData("/alert mute alertname=X forever", "is not a duration")]
    [InlineData("/alert mute 2h", "Say which alerts and for how long")]
    [InlineData("/alert snooze 1", "`/alert` knows `list`")]
    [InlineData("/alert list", "No open alerts as of ")]
    public async Task AlertCommand_BadOrEmpty_AnswersSpecifically(string text, string expected)
    {
        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", text));

        Assert.Contains(expected, reply.Text);
    }

    [Fact]
    public async Task AlertmanagerWebhook_FiringThenResolved_EditsOneMessage()
    {
        object Payload(string status) => new
        {
            version = "4", status, receiver = "chatops", groupKey = "{}:{alertname=\"HighLatency\"}",
            alerts = new[]
            {
                new
                {
                    status, labels = new { alertname = "HighLatency", severity = "critical", environment = "prod" },
                    annotations = new { summary = "p95 latency above 2s" }, startsAt = "2026-11-22T08:50:00Z", fingerprint = "c0ffee",
                },
            },
        };

        await PostAsync(Payload("firing"));
        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("p95 latency above 2s")), channel: "alerts");
        await PostAsync(Payload("resolved"));

        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == posted.Id && m.Text.Contains("resolved by alertmanager")), channel: "alerts");
        var metrics = await Chat.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("chatops_alerts_open{status=\"firing\"} 0", metrics);
        Assert.Contains("chatops_outbox_depth", metrics);
    }

    private async Task PostAsync(object body)
    {
        var response = await Chat.Http.PostAsJsonAsync("/api/alerts", body, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).ToString());
    }
}
