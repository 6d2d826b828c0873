using System.Text.Json.Nodes;

namespace ChatOps.TestCommon.Discord;

/// <summary>A message the peer holds, as the last create or edit left it.</summary>
public sealed class DiscordPeerMessage(string id, string channelId)
{
    public string Id { get; } = id;

    public string ChannelId { get; } = channelId;

    public string Content { get; set; } = "";

    public JsonArray Embeds { get; set; } = [];

    public JsonArray Components { get; set; } = [];

    /// <summary>Attachments by file name, with the bytes uploaded for them.</summary>
    public Dictionary<string, DiscordPeerAttachment> Attachments { get; } = new(StringComparer.Ordinal);

    public long Flags { get; set; }

    public string? Nonce { get; set; }

    /// <summary>Set for a message sent through an interaction's webhook (the original response or a follow-up).</summary>
    public string? InteractionToken { get; set; }

    /// <summary>True for a deferred original response Discord shows as "thinking…" until it is edited.</summary>
    public bool Deferred { get; set; }

    public int Edits { get; set; }

    /// <summary>The id of the thread started from this message, if any.</summary>
    public string? ThreadId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public bool Ephemeral => (Flags & 64) != 0;

    /// <summary>A copy, so a test reads one consistent state while the peer goes on.</summary>
    internal DiscordPeerMessage Snapshot()
    {
        var copy = new DiscordPeerMessage(Id, ChannelId)
        {
            Content = Content,
            Embeds = (JsonArray)Embeds.DeepClone(),
            Components = (JsonArray)Components.DeepClone(),
            Flags = Flags,
            Nonce = Nonce,
            InteractionToken = InteractionToken,
            Deferred = Deferred,
            Edits = Edits,
            ThreadId = ThreadId,
            CreatedAt = CreatedAt,
        };
        foreach (var (name, attachment) in Attachments)
        {
            copy.Attachments[name] = attachment;
        }

        return copy;
    }

    internal JsonObject ToJson(string applicationId) => new()
    {
        ["id"] = Id,
        ["channel_id"] = ChannelId,
        ["type"] = 0,
        ["content"] = Content,
        ["embeds"] = Embeds.DeepClone(),
        ["components"] = Components.DeepClone(),
        ["attachments"] = new JsonArray([.. Attachments.Values.Select(a => (JsonNode)new JsonObject
        {
            ["id"] = a.Id,
            ["filename"] = a.FileName,
            ["size"] = a.Content.Length,
            ["content_type"] = a.ContentType,
            ["url"] = $"https://cdn.discordapp.com/attachments/{ChannelId}/{a.Id}/{a.FileName}",
        })]),
        ["flags"] = Flags,
        ["nonce"] = Nonce,
        ["timestamp"] = CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["edited_timestamp"] = null,
        ["tts"] = false,
        ["mention_everyone"] = false,
        ["mentions"] = new JsonArray(),
        ["mention_roles"] = new JsonArray(),
        ["pinned"] = false,
        ["author"] = new JsonObject { ["id"] = applicationId, ["username"] = "ChatOps", ["discriminator"] = "0000", ["bot"] = true, ["avatar"] = null },
    };
}

/// <summary>A file attached to a message, as uploaded.</summary>
public sealed record DiscordPeerAttachment(string Id, string FileName, string ContentType, byte[] Content);

/// <summary>An interaction response the peer received on <c>POST /interactions/{id}/{token}/callback</c>.</summary>
public sealed record DiscordPeerCallback(string InteractionId, string Token, int Type, JsonObject Body);

/// <summary>One request the peer received, with what it answered.</summary>
public sealed record DiscordPeerRequest(string Method, string Path, string? OperationId, IReadOnlyDictionary<string, string> Headers, string? ContentType, string? JsonBody, IReadOnlyList<string> Files)
{
    public int Status { get; internal set; }
}
