using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.FunctionalTests.Alerts;

/// <summary>
/// A rule's <c>For</c> across a host restart: the second host, on the same state store and clock, carries on
/// from when the condition started holding instead of starting the <c>For</c> again.
/// </summary>
public sealed class AlertRuleRestartTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private const string RulesUpToDate = "chatops_alert_source_lag_seconds{source=\"rules:embedded\"} 0\n";

    private readonly BotRoot _root = new("chatops-rule-restart-");
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public async Task RestartMidFor_FiresWhenTheConditionHasHeldForItsFor_NotAFullForAfterTheRestart()
    {
        await using (var first = new BotFactory(_time, Settings()))
        {
            var chat = first.Chat;
            for (var minute = 0; minute < 2; minute++)
            {
                await IngestAsync(chat, Time.GetUtcNow(), 10);
                await AdvanceAndEvaluateAsync(chat); // holding since Start + 1 minute
            }

            Assert.Empty((await chat.GetJsonAsync("/api/alerts")).EnumerateArray());
        }

        var restartedAt = Time.GetUtcNow();
        await using var second = new BotFactory(_time, Settings());
        var again = second.Chat;
        JsonElement? alert = null;
        for (var minute = 0; minute < 6 && alert is null; minute++)
        {
            await IngestAsync(again, Time.GetUtcNow(), 10);
            await AdvanceAndEvaluateAsync(again);
            alert = (await again.GetJsonAsync("/api/alerts")).EnumerateArray().Cast<JsonElement?>().FirstOrDefault();
        }

        Assert.NotNull(alert);
        var startsAt = alert.Value.GetProperty("startsAt").GetDateTimeOffset();
        Assert.Equal(Start.AddMinutes(1) + TimeSpan.FromMinutes(3), startsAt);
        Assert.True(startsAt < restartedAt.AddMinutes(1) + TimeSpan.FromMinutes(3), "a full For after the restart");
        await again.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("checkout-errors")), channel: "alerts");
    }

    private FakeTimeProvider Time => _time;

    private Dictionary<string, string?> Settings() => new()
    {
        ["Storage:ConnectionString"] = $"Data Source={_root.StateDatabase}",
        ["Radiator:Alerts:RuleInterval"] = "00:01:00",
        ["Radiator:Alerts:Rules:0:Name"] = "checkout-errors",
        ["Radiator:Alerts:Rules:0:Key"] = "checkout.error",
        ["Radiator:Alerts:Rules:0:Above"] = "5",
        ["Radiator:Alerts:Rules:0:Window"] = "00:01:00",
        ["Radiator:Alerts:Rules:0:For"] = "00:03:00",
    };

    /// <summary>Moves the clock one rule interval and waits until the host's rules have been evaluated at the new time (their lag is 0).</summary>
    private async Task AdvanceAndEvaluateAsync(ChatApi chat)
    {
        Time.Advance(TimeSpan.FromMinutes(1));
        await Wait.UntilAsync(
            async () => (await chat.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken)).Contains(RulesUpToDate, StringComparison.Ordinal),
            $"the rules to be evaluated at {Time.GetUtcNow():O}");
    }

    private static async Task IngestAsync(ChatApi chat, DateTimeOffset minute, int count)
    {
        var events = Enumerable.Range(0, count)
            .Select(i => new { timestamp = minute.AddSeconds(i * 5 + 1).ToString("O", CultureInfo.InvariantCulture), key = "checkout.error", value = 1 }).ToList();
        var response = await chat.Http.PostAsJsonAsync("/api/events", events, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public ValueTask DisposeAsync()
    {
        _root.Dispose();

        return ValueTask.CompletedTask;
    }
}
