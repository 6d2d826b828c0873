namespace ChatOps.Integrations.Teams.Graph;

/// <summary>
/// Where Microsoft Graph lists the messages a post to a Teams conversation lands among. A channel is addressed through
/// its team (<c>/teams/{team-id}/channels/{channel-id}/messages</c>, a thread reply under
/// <c>…/messages/{message-id}/replies</c>), the team id being the Entra ID group id that arrives in
/// <c>channelData.team.aadGroupId</c>; a chat is <c>/chats/{chat-id}/messages</c>. The Bot Framework's conversation id
/// is Graph's channel or chat id when it has Graph's form (<c>19:…</c>); a personal chat's is usually not (<c>a:…</c>).
/// </summary>
internal sealed record TeamsGraphAddress(TeamsGraphListing Listing, string Path)
{
    public const string Channel = "channel";
    public const string GroupChat = "groupChat";
    public const string Personal = "personal";

    /// <summary>The listing for a post to <paramref name="reference"/> (under <paramref name="threadOf"/>), or null with the reason there is none.</summary>
    public static TeamsGraphAddress? Of(TeamsConversationReference reference, string? threadOf, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(reference);
        reason = null;
        var conversation = reference.ConversationId;
        var graphForm = conversation.StartsWith("19:", StringComparison.Ordinal);
        switch (reference.ConversationType)
        {
            case Channel when reference.TeamId is not { Length: > 0 }:
                reason = "no activity from the channel has carried its team's Entra ID group id (channelData.team.aadGroupId) yet";
                return null;
            case Channel when !graphForm:
                reason = $"the channel id '{conversation}' is not in Graph's form (19:…)";
                return null;
            case Channel:
                var messages = $"teams/{Uri.EscapeDataString(reference.TeamId)}/channels/{Uri.EscapeDataString(conversation)}/messages";
                return threadOf is null
                    ? new(TeamsGraphListing.ChannelMessages, messages)
                    : new(TeamsGraphListing.Replies, $"{messages}/{Uri.EscapeDataString(threadOf)}/replies");
            case GroupChat or Personal when graphForm:
                // A chat has no threads: a reply is one more message of the chat.
                return new(TeamsGraphListing.ChatMessages, $"chats/{Uri.EscapeDataString(conversation)}/messages");
            case Personal:
                reason = $"the personal chat's Bot Framework id '{conversation}' is not a Graph chat id";
                return null;
            case GroupChat:
                reason = $"the chat id '{conversation}' is not in Graph's form (19:…)";
                return null;
            default:
                reason = "no activity from the conversation has said what kind it is (conversation.conversationType)";
                return null;
        }
    }
}

/// <summary>Which Graph listing: they differ in what they accept and in their order.</summary>
internal enum TeamsGraphListing
{
    /// <summary><c>GET /teams/{team-id}/channels/{channel-id}/messages</c>: root messages, <c>$top</c> up to 50; no order is documented.</summary>
    ChannelMessages,

    /// <summary><c>GET /teams/{team-id}/channels/{channel-id}/messages/{message-id}/replies</c>: <c>$top</c> up to 50.</summary>
    Replies,

    /// <summary><c>GET /chats/{chat-id}/messages</c>: <c>$top</c> up to 50, <c>$orderby=createdDateTime desc</c> (newest first).</summary>
    ChatMessages,
}
