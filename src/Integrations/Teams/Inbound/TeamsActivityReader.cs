using System.Text.Json;

namespace ChatOps.Integrations.Teams.Inbound;

/// <summary>
/// Reads an activity's JSON into a <see cref="TeamsActivity"/>, or says which required part is missing. Required of
/// every activity: <c>type</c>, <c>serviceUrl</c>, <c>conversation.id</c> and <c>recipient.id</c> (without them no
/// answer could be addressed); the rest is checked where it is used.
/// </summary>
internal static class TeamsActivityReader
{
    public static TeamsActivity? Read(JsonElement root, out string? reason)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            reason = "the body is not a JSON object (an activity)";
            return null;
        }

        var type = String(root, "type");
        var serviceUrl = String(root, "serviceUrl");
        var conversation = Object(root, "conversation");
        var recipient = Object(root, "recipient");
        var conversationId = conversation is { } c ? String(c, "id") : null;
        var botId = recipient is { } r ? String(r, "id") : null;
        reason = (type, serviceUrl, conversationId, botId) switch
        {
            (null, _, _, _) => "the activity has no type",
            (_, null, _, _) => "the activity has no serviceUrl",
            (_, _, null, _) => "the activity has no conversation.id",
            (_, _, _, null) => "the activity has no recipient.id",
            _ => null,
        };
        if (reason is not null)
        {
            return null;
        }

        var from = Object(root, "from");
        var channelData = Object(root, "channelData");
        return new TeamsActivity
        {
            Type = type!,
            Id = String(root, "id"),
            Name = String(root, "name"),
            ChannelId = String(root, "channelId"),
            ServiceUrl = serviceUrl!,
            ConversationId = conversationId!,
            TenantId = String(conversation!.Value, "tenantId") ?? (channelData is { } d && Object(d, "tenant") is { } t ? String(t, "id") : null),
            ConversationType = String(conversation!.Value, "conversationType"),
            TeamAadGroupId = channelData is { } cd && Object(cd, "team") is { } team ? String(team, "aadGroupId") : null,
            BotId = botId!,
            BotName = String(recipient!.Value, "name"),
            From = from is { } f && String(f, "id") is { } fromId ? new TeamsSender(fromId, String(f, "name"), String(f, "aadObjectId")) : null,
            Text = String(root, "text"),
            Value = root.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null,
            ReplyToId = String(root, "replyToId"),
            Mentions = Mentions(root),
            MembersAdded = Array(root, "membersAdded").Select(m => String(m, "id")).OfType<string>().ToList(),
        };
    }

    private static List<TeamsMention> Mentions(JsonElement root) =>
        Array(root, "entities")
            .Where(e => String(e, "type") == "mention")
            .Select(e => Object(e, "mentioned") is { } m && String(m, "id") is { } id ? new TeamsMention(id, String(e, "text")) : null)
            .OfType<TeamsMention>()
            .ToList();

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];
}
