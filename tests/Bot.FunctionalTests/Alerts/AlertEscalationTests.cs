using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Radiator.Alerts;
using ChatOps.TestCommon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.FunctionalTests.Alerts;

/// <summary>
/// Escalation in the real host on a clock that only the test moves: a route's steps mention the person on
/// call (on the web chat, by their contact there) under the alert, and an acknowledgement stops the rest.
/// </summary>
public sealed class AlertEscalationTests() : HostTest(new BotFactory(Clock, Settings))
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static FakeTimeProvider Clock => new(Start);

    private static Dictionary<string, string?> Settings => new()
    {
        ["Radiator:Alerts:Tick"] = "00:01:00",
        ["Radiator:Alerts:Routes:0:Match:team"] = "payments",
        ["Radiator:Alerts:Routes:0:Escalation:0:Wait"] = "00:05:00",
        ["Radiator:Alerts:Routes:0:Escalation:0:Notify"] = "oncall:payments",
        ["Radiator:Alerts:Routes:0:Escalation:0:Repeat"] = "2",
        ["Radiator:Alerts:OnCall:payments:Start"] = Start.AddDays(-1).ToString("O", CultureInfo.InvariantCulture),
        ["Radiator:Alerts:OnCall:payments:Shift"] = "7.00:00:00",
        ["Radiator:Alerts:OnCall:payments:People:0"] = "dana",
        ["Radiator:Alerts:OnCall:payments:People:1"] = "erin",
        ["Identity:People:dana:0"] = "webchat:dana.k",
    };

    private FakeTimeProvider Time => (FakeTimeProvider)Factory.Time!;

    [Fact]
    public async Task UnacknowledgedAlert_EscalatesToTheOnCallPersonAndRepeats_UntilAlertAckStopsIt()
    {
        var id = await PostAsync("pay-1");
        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Payments failing")), channel: "alerts");

        await AdvanceUntilAsync(posted.Id, replies => replies.Any(IsEscalation));
        var first = (await RepliesAsync(posted.Id)).Single(IsEscalation);
        Assert.Contains("@dana.k", first); // dana is on call, and her web chat contact is mentioned
        Assert.Contains($"alert #{id}", first);
        Assert.DoesNotContain("erin", first);

        await AdvanceUntilAsync(posted.Id, replies => replies.Count(IsEscalation) >= 2); // the step repeats

        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", $"/alert ack {id}"));
        Assert.Contains($"Acknowledged #{id}", reply.Text);
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == posted.Id && m.Text.Contains("acknowledged by carol")), channel: "alerts");

        await PastEveryStepAsync();
        Assert.Equal(2, (await RepliesAsync(posted.Id)).Count(IsEscalation));
        Assert.Equal("acknowledged", (await Chat.GetJsonAsync($"/api/alerts/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AlertAcknowledgedByButtonBeforeTheFirstStep_NeverEscalates()
    {
        await PostAsync("pay-2");
        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Payments failing")), channel: "alerts");

        var press = await Chat.PressAsync("alice", posted.Id, posted.Action("alert-ack:"), channel: "alerts");
        Assert.True(press.IsSuccessStatusCode);
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == posted.Id && m.Text.Contains("acknowledged by alice")), channel: "alerts");

        await PastEveryStepAsync();
        Assert.DoesNotContain(await RepliesAsync(posted.Id), IsEscalation);
    }

    [Fact]
    public async Task AlertOffTheRoute_NeverEscalates()
    {
        await PostAsync("web-1", team: "web");
        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Payments failing")), channel: "alerts");

        await PastEveryStepAsync();
        Assert.DoesNotContain(await RepliesAsync(posted.Id), IsEscalation);
    }

    private static bool IsEscalation(string text) => text.Contains("📟", StringComparison.Ordinal);

    /// <summary>Moves the clock a tick at a time until the alert's thread shows what is expected (bounded by the longest escalation).</summary>
    private async Task AdvanceUntilAsync(string messageId, Func<List<string>, bool> shown)
    {
        const int LooksPerMinute = 20;
        var minutes = 1;
        var looks = 0;
        List<string> replies = [];
        Time.Advance(TimeSpan.FromMinutes(1));
        await Wait.UntilAsync(
            async () =>
            {
                if (shown(replies = await RepliesAsync(messageId)))
                {
                    return true;
                }

                // The host gets a few looks at each minute before the clock moves on, so no step is skipped past.
                if (++looks % LooksPerMinute == 0 && minutes < 30)
                {
                    Time.Advance(TimeSpan.FromMinutes(1));
                    minutes++;
                }

                return false;
            },
            "the alert's thread to show what was expected",
            within: TimeSpan.FromMinutes(1),
            lastSeen: () => string.Join("\n", replies));
    }

    /// <summary>
    /// Moves the clock past every step, runs a tick at that time to its end (the host's own ticker may be
    /// between ticks), then waits for a later message in the channel: by then anything queued before it is shown.
    /// </summary>
    private async Task PastEveryStepAsync()
    {
        for (var minute = 0; minute < 30; minute++)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        await Factory.Services.GetRequiredService<AlertService>().TickAsync(TestContext.Current.CancellationToken);
        await PostAsync("sentinel", title: "Sentinel", team: "none");
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Sentinel")), channel: "alerts");
    }

    private async Task<List<string>> RepliesAsync(string messageId) =>
        [.. (await Chat.MessagesAsync("alerts")).Single(m => m.Id == messageId).Replies.Where(r => r.User == "bot").Select(r => r.Text)];

    private async Task<long> PostAsync(string fingerprint, string title = "Payments failing", string team = "payments")
    {
        var alert = new { fingerprint, status = "firing", title, severity = "critical", labels = new { alertname = title, environment = "prod", team } };
        var response = await Chat.Http.PostAsJsonAsync("/api/alerts", alert, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("alerts")[0].GetProperty("id").GetInt64();
    }
}
