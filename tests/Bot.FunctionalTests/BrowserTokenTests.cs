using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// The page opened as <c>/?token=…</c> from beyond loopback (a proxy's <c>X-Forwarded-For</c> makes the bot treat it so):
/// every call it makes, the event stream included, carries the token.
/// </summary>
public sealed class BrowserTokenTests : BrowserTest
{
    private const string Token = "browser-token-0123456789abcdef";

    protected override IDictionary<string, string>? Settings => new Dictionary<string, string> { ["WebChat__AccessToken"] = Token };

    protected override Task BeforeOpeningAsync(IPage page) =>
        page.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.9" });

    [Fact]
    public async Task PageOpenedWithAToken_ListsSendsAndHearsBack()
    {
        var page = await OpenAsync("carol", query: $"&token={Token}");

        await Assertions.Expect(page.Locator("#channels a")).ToHaveCountAsync(4);
        await page.FillAsync("#text", "/env list");
        await page.PressAsync("#text", "Enter");

        await Assertions.Expect(page.Locator(".message.bot").First).ToContainTextAsync("dev");
        await Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();
        await page.ClickAsync("#channels a[data-channel='deploys']");
        Assert.Contains($"token={Token}", page.Url, StringComparison.Ordinal);
    }
}
