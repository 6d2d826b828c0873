using System.Text;
using ChatOps.Integrations.Discord;

namespace ChatOps.Integrations.Tests.Discord;

public sealed class DiscordHttpInboundTests
{
    [Theory]
    [InlineData("{\"type\":1}", DiscordInteractionType.Ping)]
    [InlineData("{\"id\":\"1\",\"type\":2,\"data\":{\"name\":\"env\"}}", DiscordInteractionType.ApplicationCommand)]
    public void ParseType_Interaction_ReadsItsType(string body, DiscordInteractionType expected)
    {
        Assert.Equal(expected, DiscordHttpInbound.ParseType(Encoding.UTF8.GetBytes(body), out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1]", "no numeric type")]
    [InlineData("{\"type\":\"1\"}", "no numeric type")]
    [InlineData("{\"type\":0}", "no numeric type")]
    [InlineData("{}", "no numeric type")]
    public void ParseType_NotAnInteraction_SaysWhy(string body, string expected)
    {
        Assert.Null(DiscordHttpInbound.ParseType(Encoding.UTF8.GetBytes(body), out var reason));
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }
}
