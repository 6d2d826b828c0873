using System.Net;
using System.Net.Http.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>The web chat's channels and layout in real Chromium: unread counts, and a phone-sized screen.</summary>
public sealed class BrowserChannelTests : BrowserTest
{
    [Fact]
    public async Task AlertInAnotherChannel_MarksThatChannelAndTheTabTitle()
    {
        var page = await OpenAsync("carol");
        await Assertions.Expect(page).ToHaveTitleAsync("ChatOps");

        await FireAsync("disk-web1", "Disk almost full on web1");
        await FireAsync("cpu-web2", "CPU saturated on web2");

        var alerts = page.Locator("#channels a[data-channel='alerts']");
        await Assertions.Expect(alerts.Locator(".unread")).ToHaveTextAsync("2");
        await Assertions.Expect(alerts).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bhas-unread\b"));
        Assert.Equal("rgb(220, 38, 38)", await alerts.Locator(".unread").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await Assertions.Expect(page).ToHaveTitleAsync("(2) ChatOps");
        await Assertions.Expect(page.Locator("#channels a[data-channel='ops'] .unread")).ToBeHiddenAsync();

        await alerts.ClickAsync();
        await Assertions.Expect(page.Locator(".message.bot")).ToHaveCountAsync(2);
        await Assertions.Expect(alerts.Locator(".unread")).ToBeHiddenAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("ChatOps");
    }

    [Fact]
    public async Task PhoneWidth_KeepsSendOnScreenAndTheChannelsBehindAButton()
    {
        const int width = 390, height = 844;
        var page = await OpenAsync("carol", width: width, height: height);

        var send = await page.Locator("#send").BoundingBoxAsync() ?? throw new InvalidOperationException("Send is not rendered.");
        Assert.True(send.X >= 0 && send.X + send.Width <= width && send.Y >= 0 && send.Y + send.Height <= height,
            $"Send must be inside the {width}×{height} viewport, is at x={send.X}, y={send.Y}, {send.Width}×{send.Height}");
        var text = await page.Locator("#text").BoundingBoxAsync() ?? throw new InvalidOperationException("The message box is not rendered.");
        Assert.True(text.Width + send.Width > width * 0.8, $"the message box and Send take the width, the box is {text.Width} px wide");
        await Assertions.Expect(page.Locator("#sidebar")).ToBeHiddenAsync();

        await page.ClickAsync("#menu");
        await Assertions.Expect(page.Locator("#sidebar")).ToBeVisibleAsync();
        await page.ClickAsync("#channels a[data-channel='deploys']");
        await Assertions.Expect(page.Locator("#sidebar")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#channel-title")).ToHaveTextAsync("#deploys");
    }

    [Fact]
    public async Task SidebarCodeHints_MeetWcagAaContrast()
    {
        var page = await OpenAsync("carol");

        var ratios = await page.Locator("aside code").EvaluateAllAsync<double[]>(ContrastOfEach);

        Assert.NotEmpty(ratios);
        Assert.All(ratios, ratio => Assert.True(ratio >= 4.5, $"contrast {ratio:0.00}:1 is below WCAG AA's 4.5:1"));
    }

    // WCAG 2 contrast ratio of each element's text colour against its own background colour.
    private const string ContrastOfEach = """
        elements => elements.map(e => {
            const rgb = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
            const channel = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
            const style = getComputedStyle(e);
            const [a, b] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))];
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        })
        """;

    private async Task FireAsync(string fingerprint, string title)
    {
        var body = new[] { new { fingerprint, status = "firing", title, severity = "critical", labels = new Dictionary<string, string> { ["host"] = "web1" } } };
        var response = await Bot.Http.PostAsJsonAsync("/api/alerts", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
