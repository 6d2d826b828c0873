using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>What a posted message shows now, for a platform that must answer a button press with the message's new state (Teams).</summary>
internal sealed partial class OutboxStore
{
    /// <summary>
    /// The newest content enqueued for the post that went out in <paramref name="destination"/> as the platform's
    /// message <paramref name="messageId"/> (its latest edit, else the post itself), or null when the outbox holds no such post.
    /// </summary>
    public async Task<OutgoingMessage?> FindShownAsync(ChatDestination destination, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(messageId);
        var found = await database.ReadAsync(c => c.QueryAsync(
            """
            SELECT COALESCE(e.message, p.message) FROM chat_outbox p
            LEFT JOIN chat_outbox_edits e ON e.target_key = p.key
            WHERE p.platform = @platform AND p.channel = @channel AND p.message_id = @id
            ORDER BY p.seq DESC LIMIT 1
            """,
            null, r => r.GetString(0), cancellationToken,
            ("@platform", destination.Platform), ("@channel", destination.Channel), ("@id", messageId)), cancellationToken);
        return found.Count == 0 ? null : OutboxMessageSerializer.Deserialize(found[0]);
    }
}
