using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// <c>/pulse</c> in the real host right after events began arriving: the number, said with how much data it
/// covers, never "collecting" while thousands of events sit in the store.
/// </summary>
public sealed partial class PulseTests() : HostTest(new BotFactory(new FakeTimeProvider(Start)))
{
    // 16:05:00 exactly: events begin now; /pulse is asked three and a half minutes later.
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 16, 5, 0, TimeSpan.Zero);

    private FakeTimeProvider Time => (FakeTimeProvider)Factory.Time!;

    [Fact]
    public async Task PulseCommand_ThreeMinutesAfterEventsBegan_SaysTheNumberAndHowMuchDataItCovers()
    {
        Time.Advance(TimeSpan.FromSeconds(210));
        // 69 logins a second for three minutes, then a few in the minute still in progress (not counted yet).
        var events = Enumerable.Range(0, 180).SelectMany(s => Enumerable.Range(0, 69).Select(i => Event(Start.AddSeconds(s).AddMilliseconds(i * 10))))
            .Concat(Enumerable.Range(0, 5).Select(i => Event(Start.AddMinutes(3).AddSeconds(10 + i))))
            .ToList();
        var ingest = await Chat.Http.PostAsJsonAsync("/api/events", events, TestContext.Current.CancellationToken);
        Assert.True(ingest.IsSuccessStatusCode, await ingest.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/pulse"), m => m.Text.Contains("pulse", StringComparison.Ordinal));

        var pulse = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("logins", StringComparison.Ordinal)), channel: "pulse");
        Assert.Equal("12.4 thousand logins since 2026-12-06 16:05 UTC, 3 minutes of data.", pulse.Text);
        Assert.DoesNotContain(pulse.Context, c => c.Contains("embedded", StringComparison.Ordinal));
        // The page gets the moment itself too, to show it in the reader's terms.
        var shown = (await Chat.GetJsonAsync("/api/chat/channels/pulse/messages")).EnumerateArray().First(m => m.GetProperty("id").GetString() == pulse.Id);
        var time = Assert.Single(shown.GetProperty("times").EnumerateArray());
        Assert.Equal(Start, time.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("2026-12-06 16:05 UTC", time.GetProperty("text").GetString());
        // The same number from the HTTP API.
        var report = await Chat.GetJsonAsync("/api/pulse/logins");
        Assert.Equal(12_420, report.GetProperty("value").GetDouble());
    }

    /// <summary>The real process on the real clock: events over the last three minutes, then <c>/pulse</c>.</summary>
    [Fact]
    public async Task PulseCommand_RealProcessThreeMinutesOfEvents_SaysTheNumber()
    {
        using var root = new BotRoot("chatops-pulse-");
        await using var bot = await BotProcess.StartAsync(root.Path, new Dictionary<string, string> { ["Radiator__Simulator__Enabled"] = "false" });
        var now = TimeProvider.System.GetUtcNow();
        var events = Enumerable.Range(1, 1800).Select(i => Event(now.AddMilliseconds(-i * 100))).ToList();
        var ingest = await bot.Http.PostAsJsonAsync("/api/events", events, TestContext.Current.CancellationToken);
        Assert.True(ingest.IsSuccessStatusCode, await ingest.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        await bot.Chat.BotReplyAsync(await bot.Chat.SayAsync("carol", "/pulse"), m => m.Text.Contains("pulse", StringComparison.Ordinal));

        var pulse = await bot.Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("logins", StringComparison.Ordinal)), channel: "pulse");
        var said = Said().Match(pulse.Text);
        Assert.True(said.Success, $"'{pulse.Text}' gives the number and how much data it covers");
        // The whole minutes before "now" hold between two and three minutes of these events (a fourth if a minute turned meanwhile).
        Assert.InRange(int.Parse(said.Groups["count"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture), 1, 1800);
        Assert.Contains(said.Groups["minutes"].Value, new[] { "3", "4" });
    }

    private static object Event(DateTimeOffset at) => new { timestamp = at.ToString("O", CultureInfo.InvariantCulture), key = "logins", value = 1 };

    [GeneratedRegex(@"^(?<count>[0-9][0-9,]*) logins since [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC, (?<minutes>[0-9]) minutes of data\.$")]
    private static partial Regex Said();
}
