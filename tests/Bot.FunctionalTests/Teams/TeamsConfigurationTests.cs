using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.FunctionalTests.Teams;

/// <summary>A Teams setting that could never work stops the start, naming it.</summary>
public sealed class TeamsConfigurationTests
{
    [Theory]
    [InlineData("http://graph.example.com/v1.0", "Teams:GraphBaseUrl must use https")]
    [InlineData("https://graph.microsoft.com/v1.0?$select=id", "Teams:GraphBaseUrl must be Graph's versioned root")]
    public async Task GraphBaseUrlUnusable_RefusesToStart_NamingTheSetting(string url, string expected)
    {
        await using var factory = new BotFactory(settings: new Dictionary<string, string?>
        {
            ["Teams:AppId"] = ConnectorPeer.AppId,
            ["Teams:AppPassword"] = ConnectorPeer.AppPassword,
            ["Teams:TenantId"] = ConnectorPeer.TenantId,
            ["Teams:GraphBaseUrl"] = url,
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
