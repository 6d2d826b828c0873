using System.Text.Json.Nodes;

namespace ChatOps.TestCommon.Discord;

/// <summary>Dispatch payloads (<c>d</c>) as Discord sends them on the Gateway, with only the fields the docs require and the bot reads.</summary>
public static class DiscordGatewayEvents
{
    public const string GuildId = "1300000000000000100";
    public const string ChannelId = "1300000000000000200";

    /// <summary>
    /// A MESSAGE_CREATE: in <see cref="GuildId"/> unless <paramref name="direct"/>, mentioning the users in
    /// <paramref name="mentions"/> (pass <see cref="DiscordGatewayPeer.BotUserId"/> for a mention of the bot).
    /// </summary>
    public static JsonObject MessageCreate(string id, string authorId, string content, bool direct = false, bool authorIsBot = false,
        string? globalName = null, string channelId = ChannelId, params string[] mentions)
    {
        var author = new JsonObject { ["id"] = authorId, ["username"] = $"user{authorId[^3..]}", ["discriminator"] = "0", ["global_name"] = globalName };
        if (authorIsBot)
        {
            author["bot"] = true;
        }

        var message = new JsonObject
        {
            ["id"] = id,
            ["channel_id"] = channelId,
            ["author"] = author,
            ["content"] = content,
            ["timestamp"] = "2026-12-06T23:00:00.000000+00:00",
            ["edited_timestamp"] = null,
            ["tts"] = false,
            ["mention_everyone"] = false,
            ["mentions"] = new JsonArray([.. mentions.Select(m => (JsonNode)new JsonObject { ["id"] = m, ["username"] = m == DiscordGatewayPeer.BotUserId ? "ChatOps" : "someone", ["discriminator"] = "0", ["global_name"] = null })]),
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["embeds"] = new JsonArray(),
            ["pinned"] = false,
            ["type"] = 0,
        };
        if (!direct)
        {
            message["guild_id"] = GuildId;
            message["member"] = new JsonObject { ["roles"] = new JsonArray(), ["joined_at"] = "2026-01-01T00:00:00.000000+00:00", ["deaf"] = false, ["mute"] = false };
        }

        return message;
    }

    /// <summary>An INTERACTION_CREATE for the slash command <c>/env {verb} {environment}</c> typed by <paramref name="userId"/>.</summary>
    public static JsonObject SlashCommand(string id, string token, string userId, string verb, string environment) => new()
    {
        ["id"] = id,
        ["application_id"] = DiscordGatewayPeer.ApplicationId,
        ["type"] = 2,
        ["data"] = new JsonObject
        {
            ["id"] = "1300000000000000300",
            ["name"] = "env",
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject
            {
                ["name"] = verb,
                ["type"] = 1,
                ["options"] = new JsonArray(new JsonObject { ["name"] = "environment", ["type"] = 3, ["value"] = environment }),
            }),
        },
        ["guild_id"] = GuildId,
        ["channel_id"] = ChannelId,
        ["member"] = new JsonObject
        {
            ["user"] = new JsonObject { ["id"] = userId, ["username"] = $"user{userId[^3..]}", ["discriminator"] = "0", ["global_name"] = null },
            ["roles"] = new JsonArray(),
            ["joined_at"] = "2026-01-01T00:00:00.000000+00:00",
            ["deaf"] = false,
            ["mute"] = false,
        },
        ["token"] = token,
        ["version"] = 1,
        ["app_permissions"] = "2048",
        ["locale"] = "en-US",
        ["guild_locale"] = "en-US",
        ["entitlements"] = new JsonArray(),
        ["authorizing_integration_owners"] = new JsonObject { ["0"] = GuildId },
        ["context"] = 0,
        ["attachment_size_limit"] = 10_485_760,
    };
}
