using ChatOps.Integrations.Discord;

namespace ChatOps.Integrations.Tests.Discord;

public sealed class DiscordOptionsValidatorTests
{
    private const string ApplicationId = "1100000000000000001";

    [Fact]
    public void Validate_NothingConfigured_Succeeds()
    {
        Assert.True(Validate(new DiscordOptions()).Succeeded);
    }

    [Fact]
    public void Validate_PortalKeyAndApplicationId_Succeeds()
    {
        Assert.True(Validate(new DiscordOptions { PublicKey = DiscordVectors.PublicKey, ApplicationId = ApplicationId }).Succeeded);
    }

    [Theory]
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511")]
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a00")]
    [InlineData("z75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")]
    [InlineData("not-a-key")]
    public void Validate_PublicKeyNot64HexCharacters_FailsNamingTheSetting(string key)
    {
        var result = Validate(new DiscordOptions { PublicKey = key, ApplicationId = ApplicationId });

        Assert.True(result.Failed);
        Assert.Contains("Discord:PublicKey must be", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("64 hex characters", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PublicKeyWithoutApplicationId_FailsNamingTheSetting()
    {
        var result = Validate(new DiscordOptions { PublicKey = DiscordVectors.PublicKey });

        Assert.True(result.Failed);
        Assert.Contains("Discord:ApplicationId", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my-app")]
    [InlineData("99999999999999999999999")]
    public void Validate_ApplicationIdNotASnowflake_FailsNamingTheSetting(string id)
    {
        var result = Validate(new DiscordOptions { PublicKey = DiscordVectors.PublicKey, ApplicationId = id });

        Assert.True(result.Failed);
        Assert.Contains("Discord:ApplicationId must be", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ApplicationIdWithoutPublicKey_FailsNamingTheMissingSetting()
    {
        var result = Validate(new DiscordOptions { ApplicationId = ApplicationId });

        Assert.True(result.Failed);
        Assert.Contains("Discord:PublicKey is not", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GatewayWithoutTokenOrApplicationId_ListsBoth()
    {
        var result = Validate(new DiscordOptions { Gateway = true });

        Assert.True(result.Failed);
        Assert.Contains("Discord:Gateway is true but Discord:BotToken is not set", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Discord:Gateway is true but Discord:ApplicationId is not set", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GatewayWithTokenAndApplicationId_NeedsNoPublicKey()
    {
        Assert.True(Validate(new DiscordOptions { Gateway = true, BotToken = "token", ApplicationId = ApplicationId }).Succeeded);
    }

    [Fact]
    public void Validate_TokenAndApplicationIdOnly_SucceedsForPostingAndRegistering()
    {
        Assert.True(Validate(new DiscordOptions { BotToken = "token", ApplicationId = ApplicationId }).Succeeded);
    }

    [Fact]
    public void Validate_TokenWithTheWordBot_FailsSayingToPasteTheTokenAlone()
    {
        var result = Validate(new DiscordOptions { BotToken = "Bot abc.def", ApplicationId = ApplicationId });

        Assert.True(result.Failed);
        Assert.Contains("Discord:BotToken contains spaces", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://discord.com/api/v10")]
    [InlineData("ftp://discord.com/api/v10/")]
    [InlineData("/api/v10/")]
    [InlineData("https://discord.com/api/v10/?x=1")]
    public void Validate_ApiBaseUrlNotAnAbsoluteHttpBaseEndingWithSlash_FailsNamingTheSetting(string url)
    {
        var result = Validate(new DiscordOptions { ApiBaseUrl = new Uri(url, UriKind.RelativeOrAbsolute) });

        Assert.True(result.Failed);
        Assert.Contains("Discord:ApiBaseUrl must be an absolute http(s) address ending with '/'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryProblem_ListedAtOnce()
    {
        var result = Validate(new DiscordOptions { PublicKey = "not-a-key", ApplicationId = "my-app", Gateway = true, ApiBaseUrl = new Uri("http://peer/api") });

        Assert.Equal(4, result.Failures!.Count());
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(DiscordOptions options) =>
        new DiscordOptionsValidator().Validate(null, options);
}
