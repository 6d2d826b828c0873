using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>The web chat page in real Chromium (Debian's, installed by the test script) against the real bot process.</summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly BotRoot _root = new("chatops-browser-");
    private BotProcess _bot = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), "Chromium is missing: eng/test.sh installs Debian's chromium package.");
        _bot = await BotProcess.StartAsync(_root.Path);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // This machine has no network beyond loopback: keep Chromium from reaching out.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _bot.DisposeAsync();
        _root.Dispose();
    }

    private async Task<IPage> OpenAsync(string user)
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_bot.BaseAddress, $"?channel=ops&user={user}").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("live");
        return page;
    }

    [Fact]
    public async Task TypingACommand_ShowsTheProgressMessageChangingInPlace()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "/env up test");
        await page.PressAsync("#text", "Enter");

        var progress = page.Locator(".message.bot").Filter(new() { HasText = "test" }).First;
        await Assertions.Expect(progress).ToContainTextAsync("*test* is up".Replace("*", "", StringComparison.Ordinal), new() { Timeout = 60_000 });
        var version = int.Parse((await progress.GetAttributeAsync("data-version"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(version > 1, "the page shows the edited message, not a new one");
        Assert.Equal(1, await page.Locator(".message.bot").CountAsync());
        await Assertions.Expect(progress.Locator(".thread")).ToContainTextAsync("web1: started process");
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
    public async Task Autocomplete_OffersVerbsFromTheCatalog()
    {
        var page = await OpenAsync("carol");

        await page.FillAsync("#text", "/env pro");

        await Assertions.Expect(page.Locator("#suggestions li")).ToContainTextAsync(["/env provision <env> [version=…]"]);
        await page.PressAsync("#text", "Tab");
        await Assertions.Expect(page.Locator("#text")).ToHaveValueAsync("/env provision ");
    }

    [Fact]
    public async Task BadInput_ShowsTheServersReason()
    {
        var page = await OpenAsync("carol");
        await page.FillAsync("#user", "not a name!");

        await page.FillAsync("#text", "/env up test");
        await page.PressAsync("#text", "Enter");

        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("`user` is required");
    }
}
