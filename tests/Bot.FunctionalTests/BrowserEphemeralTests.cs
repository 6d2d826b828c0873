using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>Help shows on the page of the person who asked, marked as theirs alone, and on no one else's.</summary>
public sealed class BrowserEphemeralTests : BrowserTest
{
    [Fact]
    public async Task Help_ShowsOnTheAskersPageAlone_MarkedAsTheirs()
    {
        var alice = await OpenAsync("alice");
        var bob = await OpenAsync("bob");

        await alice.FillAsync("#text", "help");
        await alice.PressAsync("#text", "Enter");

        var help = alice.Locator(".message.bot").Filter(new() { HasText = "/env up" });
        await Assertions.Expect(help).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bprivate\b"));
        await Assertions.Expect(help.Locator(".meta .only-you")).ToHaveTextAsync("only you can see this");

        // A public answer after it reaches both pages; by then bob's page would have shown the help, had it been sent there.
        await bob.FillAsync("#text", "/env status test");
        await bob.PressAsync("#text", "Enter");
        await Assertions.Expect(bob.Locator(".message.bot").Filter(new() { HasText = "test is" })).ToHaveCountAsync(1);
        await Assertions.Expect(alice.Locator(".message.bot").Filter(new() { HasText = "test is" })).ToHaveCountAsync(1);
        await Assertions.Expect(bob.Locator(".message:not(.bot)").Filter(new() { HasText = "help" })).ToHaveCountAsync(1); // alice's question is public
        await Assertions.Expect(bob.Locator(".message.bot").Filter(new() { HasText = "/env up" })).ToHaveCountAsync(0);
        await Assertions.Expect(bob.Locator(".only-you")).ToHaveCountAsync(0);
        await Assertions.Expect(alice.Locator(".message.bot").Filter(new() { HasText = "test is" }).Locator(".only-you")).ToHaveCountAsync(0);

        // Loaded again, the page lists it for alice alone too.
        await alice.ReloadAsync();
        await Assertions.Expect(alice.Locator(".message.bot.private").Filter(new() { HasText = "/env up" })).ToHaveCountAsync(1);
        await bob.ReloadAsync();
        await Assertions.Expect(bob.Locator(".message.bot").Filter(new() { HasText = "test is" })).ToHaveCountAsync(1);
        await Assertions.Expect(bob.Locator(".message.bot").Filter(new() { HasText = "/env up" })).ToHaveCountAsync(0);
    }
}
