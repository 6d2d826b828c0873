using System.Text.Json;
using ChatOps.Integrations.Discord.Gateway;
using ChatOps.TestCommon.Discord;

namespace ChatOps.Integrations.Tests.Discord.Gateway;

public sealed class DiscordMessageCommandsTests
{
    private const string Bot = DiscordGatewayPeer.BotUserId;
    private const string Alice = "1300000000000000011";

    private static JsonElement Json(System.Text.Json.Nodes.JsonObject message) => JsonSerializer.SerializeToElement(message);

    [Theory]
    [InlineData("<@" + Bot + "> bring up dev", "bring up dev")]
    [InlineData("<@!" + Bot + ">bring up dev", "bring up dev")]
    [InlineData("  <@" + Bot + ">   status   dev  ", "status dev")]
    public void Read_TextOpensWithTheBotsMention_MentionTakenOut(string content, string text)
    {
        // Not in mentions: the text alone says it is addressed to the bot.
        var request = DiscordMessageCommands.Read(Json(DiscordGatewayEvents.MessageCreate("1", Alice, content)), Bot, out var reason);

        Assert.Equal(text, request?.Text);
        Assert.Equal("a mention of the bot", reason);
    }

    [Fact]
    public void Read_AuthorWithoutGlobalName_NamedByUsername()
    {
        var request = DiscordMessageCommands.Read(Json(DiscordGatewayEvents.MessageCreate("1", Alice, "status dev", direct: true)), Bot, out _);

        Assert.Equal("user011", request!.User.DisplayName);
        Assert.Equal("discord:" + Alice, request.User.Key);
    }

    [Fact]
    public void Read_SystemMessage_Ignored()
    {
        var message = DiscordGatewayEvents.MessageCreate("1", Alice, $"<@{Bot}> status dev", mentions: Bot);
        message["type"] = 7; // USER_JOIN

        Assert.Null(DiscordMessageCommands.Read(Json(message), Bot, out var reason));
        Assert.Contains("type 7", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WebhookMessage_Ignored()
    {
        var message = DiscordGatewayEvents.MessageCreate("1", Alice, $"<@{Bot}> status dev", mentions: Bot);
        message["webhook_id"] = "1300000000000000500";

        Assert.Null(DiscordMessageCommands.Read(Json(message), Bot, out var reason));
        Assert.Equal("a message from a webhook", reason);
    }

    [Fact]
    public void Read_OwnMessageEvenWithoutTheBotFlag_Ignored()
    {
        Assert.Null(DiscordMessageCommands.Read(Json(DiscordGatewayEvents.MessageCreate("1", Bot, "status dev", direct: true)), Bot, out var reason));
        Assert.Equal("the bot's own message", reason);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"id\":\"1\",\"channel_id\":\"2\"}")]
    [InlineData("{\"id\":1,\"channel_id\":\"2\",\"author\":{\"id\":\"3\"}}")]
    public void Read_MalformedMessage_IgnoredWithAReason(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Null(DiscordMessageCommands.Read(document.RootElement, Bot, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }
}
