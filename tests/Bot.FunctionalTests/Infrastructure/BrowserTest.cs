using ChatOps.TestCommon.Processes;
using Microsoft.Playwright;

namespace ChatOps.Bot.FunctionalTests.Infrastructure;

/// <summary>
/// A real bot process and Debian's Chromium (installed by the test script) driving the web chat page: the base of
/// the browser tests.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly BotRoot _root = new("chatops-browser-");
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    protected BotProcess Bot { get; private set; } = null!;

    /// <summary>Configuration the bot starts with, beyond the test defaults.</summary>
    protected virtual IDictionary<string, string>? Settings => null;

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), "Chromium is missing: eng/test.sh installs Debian's chromium package.");
        Bot = await BotProcess.StartAsync(_root.Path, Settings);
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
        await Bot.DisposeAsync();
        _root.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens the page in a fresh browser context (no stored name or history) and waits until it is live.</summary>
    protected async Task<IPage> OpenAsync(string? user, string channel = "ops", int width = 1280, int height = 800, string? query = null)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        query = (user is null ? $"?channel={channel}" : $"?channel={channel}&user={user}") + query;
        await BeforeOpeningAsync(page);
        await page.GotoAsync(new Uri(Bot.BaseAddress, query).ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("live");
        return page;
    }

    /// <summary>A chance to set up the page (headers, routes) before it loads.</summary>
    protected virtual Task BeforeOpeningAsync(IPage page) => Task.CompletedTask;
}
