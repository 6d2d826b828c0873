using ChatOps.Bot.Environments;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>The verbs a policy names are checked at start against the commands the host registered.</summary>
public sealed class PolicyVerbsStartupTests
{
    [Fact]
    public async Task ConfirmNamingAVerbNoCommandDeclares_RefusesToStartNamingIt()
    {
        await using var factory = new BotFactory(settings: new Dictionary<string, string?> { ["Environments:test:Policy:Confirm:0"] = "explode" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Environments:test:Policy: 'explode' is not a verb.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHost_ConfirmsByDefaultWhatTheCommandsDeclare()
    {
        await using var factory = new BotFactory();
        _ = factory.CreateClient();

        var verbs = factory.Services.GetRequiredService<VerbPolicies>();

        Assert.Equal(["balance", "destroy", "halt", "sorry"], verbs.ConfirmedByDefault.Order(StringComparer.Ordinal));
        Assert.Contains("cancel", verbs.Changing);
    }
}
