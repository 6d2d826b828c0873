using ChatOps.Integrations.Discord.Gateway;

namespace ChatOps.Integrations.Tests.Discord.Gateway;

/// <summary>The close codes against Discord's table ("Gateway Close Event Codes", the Reconnect column).</summary>
public sealed class GatewayCloseCodesTests
{
    [Theory]
    [InlineData(4000, "Resume")]
    [InlineData(4001, "Resume")]
    [InlineData(4002, "Resume")]
    [InlineData(4003, "Identify")]
    [InlineData(4004, "Stop")]
    [InlineData(4005, "Resume")]
    [InlineData(4007, "Identify")]
    [InlineData(4008, "Resume")]
    [InlineData(4009, "Identify")]
    [InlineData(4010, "Stop")]
    [InlineData(4011, "Stop")]
    [InlineData(4012, "Stop")]
    [InlineData(4013, "Stop")]
    [InlineData(4014, "Stop")]
    [InlineData(1001, "Resume")]
    [InlineData(null, "Resume")]
    public void ActionFor_EachCode_AsTheDocsSay(int? code, string expected)
    {
        var action = Enum.Parse<CloseAction>(expected);
        Assert.Equal(action, GatewayCloseCodes.ActionFor(code));
        // Every code that stops says what to do about it; the others need no advice.
        Assert.Equal(action == CloseAction.Stop, GatewayCloseCodes.Advice(code) is not null);
    }

    [Fact]
    public void Intents_AreTheDocumentedBits()
    {
        Assert.Equal(37376, DiscordIntents.Required);
        Assert.Equal(TestCommon.Discord.DiscordGatewayPeer.ChatIntents, DiscordIntents.Required);
    }
}
