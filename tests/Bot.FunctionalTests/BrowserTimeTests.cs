using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// Times the bot names, in real Chromium: "3 minutes ago" with the exact time on hover, kept current. The page's
/// clock is Playwright's, so a test moves it minutes ahead without waiting for them.
/// </summary>
public sealed class BrowserTimeTests : BrowserTest
{
    protected override Task BeforeOpeningAsync(IPage page) => page.Clock.InstallAsync(new() { TimeDate = TimeProvider.System.GetUtcNow().UtcDateTime });

    [Fact]
    public async Task AlertMessage_ShowsARelativeTimeWithTheAbsoluteOnHover()
    {
        await FireAsync("disk-web1", "Disk almost full");
        var page = await OpenAsync("carol", channel: "alerts");

        var alert = page.Locator(".message.bot").Filter(new() { HasText = "Disk almost full" }).First;
        var time = alert.Locator(".context time.relative").First;
        await Assertions.Expect(time).ToHaveTextAsync(new Regex(@"^(just now|1 minute ago)$"), new() { Timeout = 30_000 });
        var stored = (await Bot.Chat.GetJsonAsync("/api/chat/channels/alerts/messages")).EnumerateArray()
            .First(m => m.GetProperty("text").GetString()!.Contains("Disk almost full", StringComparison.Ordinal));
        var at = stored.GetProperty("times")[0].GetProperty("at").GetDateTimeOffset();
        Assert.Equal(at, DateTimeOffset.Parse((await time.GetAttributeAsync("datetime"))!, CultureInfo.InvariantCulture));
        // The absolute time is on hover (the reader's own format, with the year), and the stand-in text is gone from the page.
        Assert.Contains(at.Year.ToString(CultureInfo.InvariantCulture), await time.GetAttributeAsync("title") ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(stored.GetProperty("times")[0].GetProperty("text").GetString()!, await alert.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelativeTime_MovesOnWhileThePageIsOpen()
    {
        await FireAsync("disk-web1", "Disk almost full");
        var page = await OpenAsync("carol", channel: "alerts");
        var time = page.Locator(".message.bot").Filter(new() { HasText = "Disk almost full" }).First.Locator(".context time.relative").First;
        await Assertions.Expect(time).ToHaveTextAsync(new Regex(@"^(just now|1 minute ago)$"), new() { Timeout = 30_000 });

        await page.Clock.FastForwardAsync("10:00");

        await Assertions.Expect(time).ToHaveTextAsync(new Regex(@"^1[01] minutes ago$"));
    }

    private async Task FireAsync(string fingerprint, string title)
    {
        var body = new[] { new { fingerprint, status = "firing", title, severity = "critical", labels = new Dictionary<string, string> { ["host"] = "web1" } } };
        var response = await Bot.Http.PostAsJsonAsync("/api/alerts", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
