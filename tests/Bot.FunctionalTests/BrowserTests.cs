using System.Globalization;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>Commands and buttons through the web chat page in real Chromium against the real bot process.</summary>
public sealed class BrowserTests : BrowserTest
{
    [Fact]
    public async Task TypingACommand_ShowsTheProgressMessageChangingInPlace()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "/env up test");
        await page.PressAsync("#text", "Enter");

        var progress = page.Locator(".message.bot").Filter(new() { HasText = "test" }).First;
        await Assertions.Expect(progress).ToContainTextAsync("test is up", new() { Timeout = 60_000 });
        var version = int.Parse((await progress.GetAttributeAsync("data-version"))!, CultureInfo.InvariantCulture);
        Assert.True(version > 1, "the page shows the edited message, not a new one");
        Assert.Equal(1, await page.Locator(".message.bot").CountAsync());
        await Assertions.Expect(progress.Locator(".thread")).ToContainTextAsync("web1: started process");
    }

    [Fact]
    public async Task EditedMessage_ShowsWhenItWasPostedAndThatItWasEdited()
    {
        var page = await OpenAsync("carol");
        await page.FillAsync("#text", "/env up test");
        await page.PressAsync("#text", "Enter");
        var progress = page.Locator(".message.bot").First;
        await Assertions.Expect(progress).ToContainTextAsync("test is up", new() { Timeout = 60_000 });

        var stored = (await Bot.Chat.GetJsonAsync("/api/chat/channels/ops/messages")).EnumerateArray().Single(m => m.GetProperty("user").GetString() == "bot");
        var shown = DateTimeOffset.Parse((await progress.Locator(".meta time").GetAttributeAsync("datetime"))!, CultureInfo.InvariantCulture);
        Assert.Equal(stored.GetProperty("createdAt").GetDateTimeOffset(), shown);
        Assert.NotEqual(stored.GetProperty("updatedAt").GetDateTimeOffset(), shown);
        await Assertions.Expect(progress.Locator(".meta .edited")).ToHaveTextAsync("edited");
    }

    [Fact]
    public async Task StatusMarks_AreDrawnByThePageWithAName()
    {
        var page = await OpenAsync("carol");
        await page.FillAsync("#text", "/env up test");
        await page.PressAsync("#text", "Enter");
        var progress = page.Locator(".message.bot").First;
        await Assertions.Expect(progress).ToContainTextAsync("test is up", new() { Timeout = 60_000 });

        // No emoji reaches the screen: each ✅ is the page's own icon, named for screen readers and on hover.
        await Assertions.Expect(progress.Locator("svg.status[aria-label='done']").First).ToBeVisibleAsync();
        Assert.DoesNotContain("✅", await progress.Locator("> .text").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PressingConfirm_RunsTheConfirmedCommand()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "/env destroy dev");
        await page.PressAsync("#text", "Enter");
        var prompt = page.Locator(".message.bot").First;
        await Assertions.Expect(prompt).ToContainTextAsync("confirm destroying dev?");
        await prompt.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        await Assertions.Expect(prompt).ToContainTextAsync("dev is destroyed", new() { Timeout = 60_000 });
        await Assertions.Expect(prompt.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task MessageWithALink_ShowsItClickableAndShowsMarkupAsText()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "runbook: https://wiki.example.com/disk?full=1. <b>bold</b> <img src=x onerror=alert(1)> javascript:alert(1)");
        await page.PressAsync("#text", "Enter");

        var mine = page.Locator(".message:not(.bot)").Filter(new() { HasText = "runbook" }).First;
        var link = mine.Locator(".text a");
        await Assertions.Expect(link).ToHaveCountAsync(1);
        await Assertions.Expect(link).ToHaveAttributeAsync("href", "https://wiki.example.com/disk?full=1");
        await Assertions.Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer");
        await Assertions.Expect(link).ToHaveAttributeAsync("target", "_blank");
        await Assertions.Expect(mine.Locator(".text b, .text img")).ToHaveCountAsync(0);
        await Assertions.Expect(mine.Locator(".text")).ToContainTextAsync("<b>bold</b> <img src=x onerror=alert(1)>");
    }
}
