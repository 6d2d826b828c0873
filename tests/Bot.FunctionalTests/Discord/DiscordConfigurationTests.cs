using System.Net;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.FunctionalTests.Discord;

/// <summary>Discord is off until configured, and a setting that could never work stops the start, naming it.</summary>
public sealed class DiscordConfigurationTests
{
    [Fact]
    public async Task NoDiscordConfiguration_HostStarts_AndTheEndpointIsUnknown()
    {
        await using var factory = new BotFactory();
        using var request = DiscordInteractions.FromVector("ping_valid");

        using var response = await factory.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
        using var health = await factory.CreateClient().GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("d75a980182b10ab7")]
    [InlineData("this is not the public key, but it is sixty-four characters long")]
    public async Task PublicKeyNot64Hex_RefusesToStart_NamingTheSetting(string key)
    {
        await using var factory = new BotFactory(settings: new Dictionary<string, string?>
        {
            ["Discord:PublicKey"] = key,
            ["Discord:ApplicationId"] = DiscordInteractions.ApplicationId,
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Discord:PublicKey must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicKeyWithoutApplicationId_RefusesToStart_NamingTheSetting()
    {
        await using var factory = new BotFactory(settings: new Dictionary<string, string?> { ["Discord:PublicKey"] = DiscordInteractions.PublicKey });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Discord:ApplicationId", error.Message, StringComparison.Ordinal);
    }
}
