using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.FunctionalTests.Alerts;

/// <summary>
/// A threshold rule over the embedded event store in the real host, on a clock only the test moves: events
/// go in through <c>POST /api/events</c>, the alert appears in #alerts once the condition has held for its
/// <c>For</c>, and resolves (the same message, edited) when the data goes back.
/// </summary>
public sealed class AlertRuleTests() : HostTest(new BotFactory(new FakeTimeProvider(Start), Settings))
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Settings => new()
    {
        ["Radiator:Alerts:RuleInterval"] = "00:01:00",
        ["Radiator:Alerts:Rules:0:Name"] = "checkout-errors",
        ["Radiator:Alerts:Rules:0:Key"] = "checkout.error",
        ["Radiator:Alerts:Rules:0:Above"] = "5",
        ["Radiator:Alerts:Rules:0:Window"] = "00:01:00",
        ["Radiator:Alerts:Rules:0:For"] = "00:03:00",
        ["Radiator:Alerts:Rules:0:Severity"] = "critical",
        ["Radiator:Alerts:Rules:0:Labels:environment"] = "prod",
    };

    private FakeTimeProvider Time => (FakeTimeProvider)Factory.Time!;

    [Fact]
    public async Task ThresholdRule_ErrorsAboveForItsFor_FiresInAlertsThenResolvesWhenTheyStop()
    {
        // Ten errors in every minute from the start: the first whole minute that shows them ends at Start + 1 minute.
        JsonElement? alert = null;
        for (var minute = 0; minute < 8 && alert is null; minute++)
        {
            await IngestAsync("checkout.error", Time.GetUtcNow(), 10);
            await AdvanceAndEvaluateAsync();
            alert = await RuleAlertAsync();
            Assert.True(alert is null || Time.GetUtcNow() >= Start.AddMinutes(1) + TimeSpan.FromMinutes(3), $"fired at {Time.GetUtcNow():O}, before holding for 3 minutes");
        }

        Assert.NotNull(alert);
        Assert.Equal(Start.AddMinutes(4), alert.Value.GetProperty("startsAt").GetDateTimeOffset());
        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("checkout-errors")), channel: "alerts");
        Assert.Contains("`checkout.error` is 10, above 5", posted.Text);
        Assert.Contains("firing", posted.Text);

        // The errors stop (other events go on): the next whole minute is below the threshold.
        await IngestAsync("checkout.ok", Time.GetUtcNow(), 10);
        await AdvanceAndEvaluateAsync();

        var id = alert.Value.GetProperty("id").GetInt64();
        Assert.Equal("resolved", (await Chat.GetJsonAsync($"/api/alerts/{id}")).GetProperty("status").GetString());
        var resolved = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == posted.Id && m.Text.Contains("resolved by")), channel: "alerts");
        Assert.Empty(resolved.Buttons);
        Assert.Single(await Chat.MessagesAsync("alerts"), m => m.User == "bot" && m.Text.Contains("checkout-errors"));
    }

    [Fact]
    public async Task ThresholdRule_ErrorsBelowTheThreshold_NeverFires()
    {
        for (var minute = 0; minute < 6; minute++)
        {
            await IngestAsync("checkout.error", Time.GetUtcNow(), 3);
            await AdvanceAndEvaluateAsync();
            Assert.Null(await RuleAlertAsync());
        }

        // A webhook alert after the rule's evaluations shows the channel is delivering, and nothing from the rule came before it.
        var response = await Chat.Http.PostAsJsonAsync("/api/alerts",
            new { fingerprint = "sentinel", status = "firing", title = "Sentinel", labels = new { alertname = "Sentinel" } }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode);
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Sentinel")), channel: "alerts");
        Assert.DoesNotContain(await Chat.MessagesAsync("alerts"), m => m.Text.Contains("checkout-errors"));
    }

    /// <summary>Moves the clock one rule interval and waits until the host's rules have been evaluated at the new time (their lag is 0).</summary>
    private async Task AdvanceAndEvaluateAsync()
    {
        Time.Advance(TimeSpan.FromMinutes(1));
        await Wait.UntilAsync(
            async () => (await Chat.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken))
                .Contains("chatops_alert_source_lag_seconds{source=\"rules:embedded\"} 0\n", StringComparison.Ordinal),
            $"the rules to be evaluated at {Time.GetUtcNow():O}");
    }

    /// <summary>The rule's open alert (a rule whose condition does not hold reports "resolved", stored but never posted).</summary>
    private async Task<JsonElement?> RuleAlertAsync() =>
        (await Chat.GetJsonAsync("/api/alerts")).EnumerateArray().Cast<JsonElement?>()
            .FirstOrDefault(a => a!.Value.GetProperty("fingerprint").GetString() == "rule:checkout-errors");

    /// <summary>Events spread over the minute starting at <paramref name="minute"/>.</summary>
    private async Task IngestAsync(string key, DateTimeOffset minute, int count)
    {
        var events = Enumerable.Range(0, count)
            .Select(i => new { timestamp = minute.AddSeconds(i * 5 + 1).ToString("O", CultureInfo.InvariantCulture), key, value = 1 }).ToList();
        var response = await Chat.Http.PostAsJsonAsync("/api/events", events, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
