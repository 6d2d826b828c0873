using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>
/// Turns a MESSAGE_CREATE into a conversational command, or says why it is not one. A message is for the bot when it
/// is a direct message (no <c>guild_id</c>) or mentions the bot (its user id in <c>mentions</c>, or the text opens with
/// <c>&lt;@id&gt;</c>); the bot's mention is taken out of the text. Messages written by the bot itself, by other bots
/// and by webhooks are never commands, so two bots cannot talk each other into a loop. The answer goes as a reply to
/// the message: its id is the request's thread.
/// </summary>
internal static partial class DiscordMessageCommands
{
    public const string Platform = "discord";
    public const string DeliveryPrefix = "discord-message:";

    /// <summary>Message types a person writes: DEFAULT (0) and REPLY (19); the rest are Discord's own notices.</summary>
    private static readonly int[] PersonTypes = [0, 19];

    /// <summary>The command in <paramref name="message"/> (a MESSAGE_CREATE's <c>d</c>), or null with the reason it is none.</summary>
    public static ChatRequest? Read(JsonElement message, string? botUserId, out string reason)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            reason = "not a message object";
            return null;
        }

        var id = StringOf(message, "id");
        var channel = StringOf(message, "channel_id");
        var author = message.TryGetProperty("author", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        var authorId = author.ValueKind == JsonValueKind.Object ? StringOf(author, "id") : null;
        if (id is null || channel is null || authorId is null)
        {
            reason = "a message without id, channel_id or author.id";
            return null;
        }

        if (authorId == botUserId || (author.TryGetProperty("bot", out var bot) && bot.ValueKind == JsonValueKind.True))
        {
            reason = authorId == botUserId ? "the bot's own message" : "a message from another bot";
            return null;
        }

        if (StringOf(message, "webhook_id") is not null)
        {
            reason = "a message from a webhook";
            return null;
        }

        if (message.TryGetProperty("type", out var type) && type.TryGetInt32(out var messageType) && !PersonTypes.Contains(messageType))
        {
            reason = $"a message of type {messageType}, not one a person wrote";
            return null;
        }

        var content = StringOf(message, "content") ?? "";
        var direct = StringOf(message, "guild_id") is null;
        if (!direct && !Mentions(message, content, botUserId))
        {
            reason = "a channel message that does not mention the bot";
            return null;
        }

        var text = botUserId is null ? content.Trim() : WithoutMention(content, botUserId);
        var name = StringOf(author, "global_name") ?? StringOf(author, "username");
        reason = direct ? "a direct message" : "a mention of the bot";
        return new ChatRequest(
            new ChatDestination(Platform, channel),
            new ChatUser(Platform, authorId, name),
            text,
            DeliveryPrefix + id,
            MessageId: id,
            ThreadOf: id)
        {
            // The answer, or the message of the run it starts, is a reply to the person's message.
            AnswerSlot = id,
        };
    }

    private static bool Mentions(JsonElement message, string content, string? botUserId)
    {
        if (botUserId is null)
        {
            return false;
        }

        if (message.TryGetProperty("mentions", out var mentions) && mentions.ValueKind == JsonValueKind.Array
            && mentions.EnumerateArray().Any(user => user.ValueKind == JsonValueKind.Object && StringOf(user, "id") == botUserId))
        {
            return true;
        }

        return MentionsOf(botUserId).Any(mention => content.TrimStart().StartsWith(mention, StringComparison.Ordinal));
    }

    /// <summary>The text without the bot's mentions (<c>&lt;@id&gt;</c>, and the older nickname form <c>&lt;@!id&gt;</c>), spaces tidied.</summary>
    internal static string WithoutMention(string content, string botUserId)
    {
        foreach (var mention in MentionsOf(botUserId))
        {
            content = content.Replace(mention, " ", StringComparison.Ordinal);
        }

        return Spaces().Replace(content, " ").Trim();
    }

    private static string[] MentionsOf(string botUserId) => [$"<@{botUserId}>", $"<@!{botUserId}>"];

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("[ \\t]+")]
    private static partial Regex Spaces();
}
