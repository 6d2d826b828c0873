using ChatOps.TestCommon.Discord;
using ChatOps.TestCommon.OpenApi;

namespace ChatOps.Integrations.Tests.OpenApi;

/// <summary>The request checks the Discord peer relies on refuse what the published document does not allow.</summary>
public sealed class OpenApiRequestValidatorTests
{
    [Fact]
    public void Check_DiscordDocument_UnknownPathMethodAndBadSnowflakeAreRefused()
    {
        var validator = DiscordSpec.Validator;

        Assert.Contains("no path of the document matches", Assert.Single(validator.Check(new OpenApiRequest("GET", "/channels/1/nothing-here", [], null, null, []))), StringComparison.Ordinal);
        Assert.Contains("declares no PUT", Assert.Single(validator.Check(new OpenApiRequest("PUT", "/channels/1/messages", [], null, null, []))), StringComparison.Ordinal);
        Assert.Contains(validator.Check(new OpenApiRequest("POST", "/channels/general/messages", [], "application/json; charset=utf-8", """{"content":"x"}""", [])), e => e.Contains("channel_id", StringComparison.Ordinal));
        Assert.Contains(validator.Check(new OpenApiRequest("POST", "/channels/1/messages", [], "text/plain", "x", [])), e => e.Contains("content type 'text/plain'", StringComparison.Ordinal));
        Assert.Contains(validator.Check(new OpenApiRequest("POST", "/channels/1/messages", [], null, null, [])), e => e.Contains("the request body is required", StringComparison.Ordinal));
        Assert.Contains(validator.Check(new OpenApiRequest("POST", "/channels/1/messages", [new("walt", "1")], "application/json", """{"content":"x"}""", [])), e => e.Contains("query parameter 'walt' is not declared", StringComparison.Ordinal));
        Assert.Empty(validator.Check(new OpenApiRequest("PATCH", "/webhooks/1/tok/messages/@original", [], "application/json", """{"content":"x"}""", [])));
    }
}
