namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// A platform message that answers go under (a person's message, a thread they started), recorded in the
/// outbox under one key whoever answers first: the bot's reply and the inbox's "too busy" share the record.
/// The key is stored in existing databases, so its format never changes.
/// </summary>
public static class ThreadParents
{
    /// <summary>The outbox key of message <paramref name="messageId"/> in <paramref name="destination"/> as a thread's parent.</summary>
    public static string Key(ChatDestination destination, string messageId)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return $"thread:{destination.Platform}:{destination.Channel}:{messageId}";
    }

    /// <summary>
    /// Records message <paramref name="messageId"/> as a thread's parent (once, however often it is answered)
    /// and returns its key, for a post's <c>threadOfKey</c>.
    /// </summary>
    public static async Task<string> AdoptThreadParentAsync(this IChatOutbox outbox, ChatDestination destination, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        var key = Key(destination, messageId);
        await outbox.AdoptAsync(key, destination, messageId, cancellationToken);
        return key;
    }
}
