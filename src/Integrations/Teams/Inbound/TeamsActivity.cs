using System.Text.Json;

namespace ChatOps.Integrations.Teams.Inbound;

/// <summary>Who sent an activity: the channel account id, the display name and the Entra ID (AAD) object id, when Teams gives one.</summary>
internal sealed record TeamsSender(string Id, string? Name, string? AadObjectId);

/// <summary>A mention entity: whom it names and the text it stands for in the activity's <c>text</c> (<c>&lt;at&gt;ChatOps&lt;/at&gt;</c>).</summary>
internal sealed record TeamsMention(string MentionedId, string? Text);

/// <summary>
/// The parts of a Bot Framework activity (see the activity schema) this adapter reads. Vendor payloads stop here:
/// what goes on is a <c>ChatRequest</c>, a <c>ChatAction</c> or a conversation reference.
/// </summary>
internal sealed record TeamsActivity
{
    public required string Type { get; init; }

    public string? Id { get; init; }

    /// <summary>An invoke's name (<c>adaptiveCard/action</c>).</summary>
    public string? Name { get; init; }

    public string? ChannelId { get; init; }

    public required string ServiceUrl { get; init; }

    /// <summary>The conversation id as sent; in a channel thread it ends in <c>;messageid=…</c>, the thread's first message.</summary>
    public required string ConversationId { get; init; }

    public string? TenantId { get; init; }

    /// <summary><c>conversation.conversationType</c>: <c>channel</c>, <c>groupChat</c> or <c>personal</c>.</summary>
    public string? ConversationType { get; init; }

    /// <summary>The Entra ID group id of the team a channel belongs to (<c>channelData.team.aadGroupId</c>), Graph's team id.</summary>
    public string? TeamAadGroupId { get; init; }

    /// <summary>The bot's own account in this conversation (the activity's <c>recipient</c>).</summary>
    public required string BotId { get; init; }

    public string? BotName { get; init; }

    public TeamsSender? From { get; init; }

    public string? Text { get; init; }

    public JsonElement? Value { get; init; }

    public string? ReplyToId { get; init; }

    public IReadOnlyList<TeamsMention> Mentions { get; init; } = [];

    public IReadOnlyList<string> MembersAdded { get; init; } = [];

    private const string ThreadMarker = ";messageid=";

    /// <summary>The conversation without its thread part: where the bot posts, <c>teams:{this}</c>.</summary>
    public string Channel => ConversationId.IndexOf(ThreadMarker, StringComparison.Ordinal) is var at and >= 0 ? ConversationId[..at] : ConversationId;

    /// <summary>The id of the thread's first message when the activity is a reply in a channel thread, else null.</summary>
    public string? ThreadRoot => ConversationId.IndexOf(ThreadMarker, StringComparison.Ordinal) is var at and >= 0 && at + ThreadMarker.Length < ConversationId.Length
        ? ConversationId[(at + ThreadMarker.Length)..]
        : null;
}
