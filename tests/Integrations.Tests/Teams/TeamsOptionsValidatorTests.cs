using ChatOps.Integrations.Teams;

namespace ChatOps.Integrations.Tests.Teams;

public sealed class TeamsOptionsValidatorTests
{
    private static readonly TeamsOptionsValidator Sut = new();

    [Fact]
    public void Validate_NothingSet_IsTeamsOffAndValid()
    {
        Assert.True(Sut.Validate(null, new TeamsOptions()).Succeeded);
    }

    [Fact]
    public void Validate_CompleteRegistration_IsValid()
    {
        var options = new TeamsOptions { AppId = Guid.NewGuid().ToString(), AppPassword = "secret", TenantId = Guid.NewGuid().ToString() };

        Assert.True(Sut.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_EverythingWrong_ListsEveryProblem()
    {
        var options = new TeamsOptions
        {
            AppId = "chatops-bot",
            TenantId = "contoso",
            OpenIdMetadataUrl = new Uri("http://login.example.com/v1/.well-known/openidconfiguration"),
            TokenEndpoint = new Uri("/token", UriKind.Relative),
        };

        var failures = Sut.Validate(null, options).Failures!.ToList();

        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, f => f.Contains("Teams:AppId must be the bot's Microsoft App ID, a GUID", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Teams:AppPassword is not", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Teams:TenantId must be the directory (tenant) id, a GUID", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Teams:OpenIdMetadataUrl must use https", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Teams:TokenEndpoint must be an absolute https address", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://graph.example.com/v1.0", "Teams:GraphBaseUrl must use https")]
    [InlineData("graph.microsoft.com/v1.0", "Teams:GraphBaseUrl must be an absolute https address")]
    [InlineData("https://graph.microsoft.com/v1.0?$top=5", "Teams:GraphBaseUrl must be Graph's versioned root with no query")]
    public void Validate_GraphBaseUrlUnusable_NamesTheSetting(string url, string expected)
    {
        var options = new TeamsOptions
        {
            AppId = Guid.NewGuid().ToString(),
            AppPassword = "secret",
            TenantId = Guid.NewGuid().ToString(),
            GraphBaseUrl = new Uri(url, UriKind.RelativeOrAbsolute),
        };

        var failure = Assert.Single(Sut.Validate(null, options).Failures!);

        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GraphBaseUrlOnLoopbackHttp_IsValid()
    {
        var options = new TeamsOptions { GraphBaseUrl = new Uri("http://127.0.0.1:5099/v1.0") };

        Assert.True(Sut.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_SecretsWithoutAppId_SaysTheAppIdIsMissing()
    {
        var failures = Sut.Validate(null, new TeamsOptions { AppPassword = "secret", TenantId = Guid.NewGuid().ToString() }).Failures!.ToList();

        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Contains("Teams:AppId is not", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5001/v1/.well-known/openidconfiguration", true)]
    [InlineData("http://localhost:5001/v1/.well-known/openidconfiguration", true)]
    [InlineData("http://[::1]:5001/keys", true)]
    [InlineData("https://login.botframework.com/v1/.well-known/openidconfiguration", true)]
    [InlineData("http://10.0.0.5/v1/.well-known/openidconfiguration", false)]
    [InlineData("ftp://login.botframework.com/keys", false)]
    public void Validate_MetadataAddress_HttpOnlyOnLoopback(string address, bool valid)
    {
        var options = new TeamsOptions { AppId = Guid.NewGuid().ToString(), AppPassword = "secret", TenantId = Guid.NewGuid().ToString(), OpenIdMetadataUrl = new Uri(address) };

        Assert.Equal(valid, Sut.Validate(null, options).Succeeded);
    }
}
