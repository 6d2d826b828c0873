using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;

namespace ChatOps.Bot.FunctionalTests.Alerts;

/// <summary>
/// A threshold rule over the embedded event store in the real host, on a clock only the test moves: events
/// go in through <c>POST /api/events</c>, the alert appears in #alerts once the condition has held for its
/// <c>For</c>, and resolves (the same message, edited) when the data goes back.
/// </summary>
public sealed class AlertRuleTests() : HostTest(new BotFactory(new ManualTimeProvider(Start), Settings))
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

    private ManualTimeProvider Time => (ManualTimeProvider)Factory.Time!;

    [Fact]
    public async Task ThresholdRule_ErrorsAboveForItsFor_FiresInAlertsThenResolvesWhenTheyStop()
    {
        // Ten errors in every minute from the start: the first whole minute that shows them ends at Start + 1 minute.
        var firstSeen = Start.AddMinutes(1);
        JsonElement? alert = null;
        for (var minute = 0; minute < 15 && alert is null; minute++)
        {
            await IngestAsync("checkout.error", Time.GetUtcNow(), 10);
            alert = await AdvanceAndFindAsync();
        }

        Assert.NotNull(alert);
        var startsAt = alert.Value.GetProperty("startsAt").GetDateTimeOffset();
        Assert.True(startsAt >= firstSeen + TimeSpan.FromMinutes(3), $"fired at {startsAt:O}, before the condition held for 3 minutes from {firstSeen:O}");
        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("checkout-errors")), channel: "alerts");
        Assert.Contains("`checkout.error` is 10, above 5", posted.Text);
        Assert.Contains("firing", posted.Text);

        // The errors stop (other events go on): the next whole minute is below the threshold.
        var id = alert.Value.GetProperty("id").GetInt64();
        string? status = null;
        for (var minute = 0; minute < 5 && status != "resolved"; minute++)
        {
            await IngestAsync("checkout.ok", Time.GetUtcNow(), 10);
            Time.Advance(TimeSpan.FromMinutes(1));
            status = await StatusWithinAsync(id, "resolved");
        }

        Assert.Equal("resolved", status);
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
            Assert.Null(await AdvanceAndFindAsync());
        }

        // A webhook alert after the rule's evaluations shows the channel is delivering, and nothing from the rule came before it.
        var response = await Chat.Http.PostAsJsonAsync("/api/alerts",
            new { fingerprint = "sentinel", status = "firing", title = "Sentinel", labels = new { alertname = "Sentinel" } }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode);
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Sentinel")), channel: "alerts");
        Assert.DoesNotContain(await Chat.MessagesAsync("alerts"), m => m.Text.Contains("checkout-errors"));
    }

    /// <summary>Moves the clock one rule interval and gives the host's evaluation a moment to store what it found.</summary>
    private async Task<JsonElement?> AdvanceAndFindAsync()
    {
        Time.Advance(TimeSpan.FromMinutes(1));
        for (var look = 0; look < 20; look++)
        {
            foreach (var alert in (await Chat.GetJsonAsync("/api/alerts")).EnumerateArray())
            {
                if (alert.GetProperty("fingerprint").GetString() == "rule:checkout-errors")
                {
                    return alert;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        return null;
    }

    private async Task<string?> StatusWithinAsync(long id, string expected)
    {
        string? status = null;
        for (var look = 0; look < 20 && status != expected; look++)
        {
            status = (await Chat.GetJsonAsync($"/api/alerts/{id}")).GetProperty("status").GetString();
            if (status != expected)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);
            }
        }

        return status;
    }

    /// <summary>Events spread over the minute starting at <paramref name="minute"/>.</summary>
    private async Task IngestAsync(string key, DateTimeOffset minute, int count)
    {
        var events = Enumerable.Range(0, count)
            .Select(i => new { timestamp = minute.AddSeconds(i * 5 + 1).ToString("O", CultureInfo.InvariantCulture), key, value = 1 }).ToList();
        var response = await Chat.Http.PostAsJsonAsync("/api/events", events, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
