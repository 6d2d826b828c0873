namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// Where one outbox post lives: the destination it was addressed to and, once sent, the platform's
/// message id (null while it waits, and for a post merged into a digest).
/// </summary>
/// <remarks>
/// A sender returns <c>{channel}|{id}</c> instead of a bare id when the platform put the post in
/// another channel than the one asked for (Slack opens a direct-message channel for a member id).
/// </remarks>
public sealed record ChatPostLocation(ChatDestination Destination, string? MessageId)
{
    /// <summary>
    /// True when a press on message <paramref name="messageId"/> in <paramref name="where"/> is on this
    /// post: same platform and channel, and the same message whenever the platform's id is known.
    /// </summary>
    public bool Carries(ChatDestination where, string messageId)
    {
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(messageId);
        if (!string.Equals(where.Platform, Destination.Platform, StringComparison.Ordinal))
        {
            return false;
        }

        if (MessageId is null)
        {
            return string.Equals(where.Channel, Destination.Channel, StringComparison.Ordinal);
        }

        var bar = MessageId.IndexOf('|', StringComparison.Ordinal);
        var (channel, id) = bar < 0 ? (Destination.Channel, MessageId) : (MessageId[..bar], MessageId[(bar + 1)..]);
        return string.Equals(where.Channel, channel, StringComparison.Ordinal) && string.Equals(messageId, id, StringComparison.Ordinal);
    }
}
