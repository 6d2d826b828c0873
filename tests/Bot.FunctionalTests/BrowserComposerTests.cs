using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>The web chat's message box in real Chromium: autocomplete, recall, the name check, and an unreachable bot.</summary>
public sealed class BrowserComposerTests : BrowserTest
{
    [Fact]
    public async Task Autocomplete_OffersVerbsFromTheCatalog()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "/env pro");

        await Assertions.Expect(page.Locator("#suggestions li")).ToContainTextAsync(["/env provision <env> [version=…]"]);
        await page.PressAsync("#text", "Tab");
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("/env provision ");
    }

    [Fact]
    public async Task Autocomplete_OffersEveryCommandNotOnlyEnv()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "/al");

        await Assertions.Expect(page.Locator("#suggestions li code")).ToHaveTextAsync(
            ["/alert list", "/alert ack <id>", "/alert resolve <id>", "/alert mute <matcher> <duration>"]);
    }

    [Fact]
    public async Task Tab_OnAOneWordCommand_FillsInThatCommand()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "/pu");
        await page.PressAsync("#text", "Tab");

        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("/pulse");
        await Assertions.Expect(page.Locator("#suggestions")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Enter_WithASuggestionHighlighted_TakesItInsteadOfSendingTheHalfTypedText()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "/env st");
        await page.PressAsync("#text", "Enter");
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("/env status ");
        await page.Locator("#text").PressSequentiallyAsync("test");
        await page.PressAsync("#text", "Enter");

        // The one message carol sent is the completed command: "/env st" never went out.
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator(".message.bot").First).ToContainTextAsync("test");
        await Assertions.Expect(page.Locator(".message:not(.bot) .text")).ToHaveTextAsync(["/env status test"]);
    }

    [Fact]
    public async Task ArrowDown_MovesTheHighlightAndEnterTakesThatOne()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "/env h");
        await Assertions.Expect(page.Locator("#suggestions li code")).ToHaveTextAsync(["/env halt <env>", "/env history <env>"]);
        await page.PressAsync("#text", "ArrowDown");
        await page.PressAsync("#text", "Enter");

        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("/env history ");
    }

    [Fact]
    public async Task ArrowUp_InAnEmptyBox_RecallsTheLastMessageSent()
    {
        var page = await OpenAsync("carol");
        await page.FillAsync("#text", "/env list");
        await page.PressAsync("#text", "Escape");
        await page.PressAsync("#text", "Enter");
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("");
        await page.FillAsync("#text", "how is test");
        await page.PressAsync("#text", "Enter");
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("");

        await page.PressAsync("#text", "ArrowUp");
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("how is test");
        await page.PressAsync("#text", "ArrowUp");
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("/env list");
        await page.PressAsync("#text", "ArrowDown");
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("how is test");
    }

    [Fact]
    public async Task BadName_SaysWhyBesideTheNameBoxAndKeepsTheMessage()
    {
        var page = await OpenAsync("carol");
        await page.FillAsync("#user", "not a name!");

        await page.FillAsync("#text", "/env list");
        await page.PressAsync("#text", "Escape");
        await page.PressAsync("#text", "Enter");

        await Assertions.Expect(page.Locator("#user-error")).ToContainTextAsync("no spaces");
        await Assertions.Expect(page.Locator("#user")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("/env list");
        Assert.Empty(await Bot.Chat.MessagesAsync());
    }

    [Fact]
    public async Task FirstVisit_WelcomesAndAsksForAName()
    {
        var page = await OpenAsync(user: null);

        await Assertions.Expect(page.Locator("#messages .welcome")).ToContainTextAsync("Welcome to ChatOps");
        await Assertions.Expect(page.Locator("#user")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#user")).ToHaveAttributeAsync("placeholder", "e.g. alice");
        await page.FillAsync("#user", "dave");
        await page.PressAsync("#user", "Enter");
        await Assertions.Expect(page.Locator("#text")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Send_WhileTheBotIsUnreachable_SaysSoAndKeepsTheText()
    {
        var page = await OpenAsync("carol");
        Bot.Kill();

        await page.FillAsync("#text", "/env up test");
        await page.PressAsync("#text", "Escape");
        await page.PressAsync("#text", "Enter");

        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("cannot be reached");
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("/env up test");
        await Assertions.Expect(page.Locator("#send")).ToHaveTextAsync("Offline");
    }
}
