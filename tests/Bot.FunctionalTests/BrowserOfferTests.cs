using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>"Did you mean …?" in real Chromium: the corrected command is a button, and clicking it answers.</summary>
public sealed class BrowserOfferTests : BrowserTest
{
    [Fact]
    public async Task ClickingTheCorrection_AnswersTheCorrectedCommand()
    {
        var page = await OpenAsync("carol");
        await page.FillAsync("#text", "/env stauts test");
        await page.PressAsync("#text", "Enter");

        var suggestion = page.Locator(".message.bot").Filter(new() { HasText = "Did you mean" }).First;
        await suggestion.GetByRole(AriaRole.Button, new() { Name = "/env status test" }).ClickAsync(new() { Timeout = 30_000 });

        await Assertions.Expect(page.Locator(".message.bot").Filter(new() { HasText = "(Local provider)" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(suggestion.Locator(".buttons button")).ToHaveCountAsync(0);
    }
}
