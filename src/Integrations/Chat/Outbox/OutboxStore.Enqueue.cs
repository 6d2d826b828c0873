using System.Data.Common;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// The writing side of the outbox tables: what <see cref="ChatOutbox"/> enqueues and looks up. Enqueued rows are grouped
/// writes: the replies and alerts queued at the same moment share one commit.
/// </summary>
internal sealed partial class OutboxStore
{
    /// <summary>Notified when a post or an edit is queued, so every replica's outbox worker looks (on PostgreSQL; on SQLite they poll).</summary>
    public const string NotifyChannel = "chatops_outbox";

    public Task<bool> EnqueuePostAsync(string key, ChatDestination destination, OutgoingMessage message, string? threadOfKey, string? digestAs, CancellationToken cancellationToken) =>
        database.WriteGroupedAsync((c, t) => EnqueuePostInAsync(c, t, key, destination, message, threadOfKey, digestAs, cancellationToken), cancellationToken);

    /// <summary>As <see cref="EnqueuePostAsync"/>, inside the caller's transaction.</summary>
    public async Task<bool> EnqueuePostInAsync(DbConnection connection, DbTransaction transaction, string key, ChatDestination destination, OutgoingMessage message,
        string? threadOfKey, string? digestAs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(message);
        if (await InsertPostAsync(connection, transaction, key, destination, message, threadOfKey, digestAs, time.GetUtcNow().ToUnixTimeMilliseconds(), sent: false, cancellationToken) == 0)
        {
            return false;
        }

        await database.NotifyAsync(connection, transaction, NotifyChannel, cancellationToken);
        return true;
    }

    /// <summary>
    /// Queues a post as <see cref="EnqueuePostAsync"/> does and, in the same transaction, stores it on
    /// <paramref name="local"/>'s platform and records it sent, when nothing of the destination waits before it (posts or
    /// edits, so the channel keeps its order) and its thread's parent, if any, is out. Otherwise it stays queued.
    /// </summary>
    /// <returns>Whether it was new (a key queued before queues nothing), and whether it was stored at once.</returns>
    public Task<(bool Inserted, bool Posted)> EnqueueLocalPostAsync(string key, ChatDestination destination, OutgoingMessage message, string? threadOfKey,
        string? digestAs, IChatLocalPoster local, CancellationToken cancellationToken) =>
        database.WriteGroupedAsync((c, t) => EnqueueLocalPostInAsync(c, t, key, destination, message, threadOfKey, digestAs, local, cancellationToken), cancellationToken);

    /// <summary>As <see cref="EnqueueLocalPostAsync"/>, inside the caller's transaction.</summary>
    public async Task<(bool Inserted, bool Posted)> EnqueueLocalPostInAsync(DbConnection c, DbTransaction t, string key, ChatDestination destination, OutgoingMessage message,
        string? threadOfKey, string? digestAs, IChatLocalPoster local, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(local);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        (string, object?)[] where = [("@platform", destination.Platform), ("@channel", destination.Channel)];
        var waiting = await c.ScalarAsync(
            """
            SELECT 1 FROM chat_outbox p WHERE p.platform = @platform AND p.channel = @channel AND p.status IN ('pending', 'claimed')
            UNION ALL SELECT 1 FROM chat_outbox_edits e WHERE e.platform = @platform AND e.channel = @channel AND e.status IN ('pending', 'claimed')
            LIMIT 1
            """, t, cancellationToken, where) is not null;
        var parent = threadOfKey is null || waiting ? null
            : (string?)await c.ScalarAsync("SELECT message_id FROM chat_outbox WHERE key = @key", t, cancellationToken, ("@key", threadOfKey));
        var direct = !waiting && (threadOfKey is null || parent is not null);
        // Stored now, it goes in as sent: it never enters the index of posts waiting to go, only to leave it again.
        if (await InsertPostAsync(c, t, key, destination, message, threadOfKey, digestAs, now, sent: direct, cancellationToken) == 0)
        {
            return (false, false);
        }

        if (!direct)
        {
            await database.NotifyAsync(c, t, NotifyChannel, cancellationToken);
            return (true, false);
        }

        // No delivery key: the row recorded sent in this very transaction is what keeps it from being posted twice.
        var id = await local.PostInAsync(c, t, destination, message with { DeliveryKey = null }, parent, cancellationToken);
        await c.ExecuteAsync("UPDATE chat_outbox SET message_id = @id WHERE key = @key", t, cancellationToken, ("@key", key), ("@id", id));
        return (true, true);
    }

    /// <summary>A post due now, pending or (stored in the same transaction) sent; 0 rows when its key was queued before.</summary>
    private static Task<int> InsertPostAsync(DbConnection c, DbTransaction t, string key, ChatDestination destination, OutgoingMessage message, string? threadOfKey,
        string? digestAs, long now, bool sent, CancellationToken cancellationToken) =>
        c.ExecuteAsync(
            """
            INSERT INTO chat_outbox (key, platform, channel, message, thread_of_key, digest_noun, is_digest, status, attempts, queued_at, due_at, attempted_at, sent_at)
            VALUES (@key, @platform, @channel, @message, @thread, @noun, 0, @status, @attempts, @now, @now, @sentAt, @sentAt)
            ON CONFLICT(key) DO NOTHING
            """,
            t, cancellationToken,
            ("@key", key), ("@platform", destination.Platform), ("@channel", destination.Channel),
            ("@message", OutboxMessageSerializer.Serialize(message)), ("@thread", threadOfKey),
            ("@noun", string.IsNullOrWhiteSpace(digestAs) ? null : digestAs), ("@now", now),
            ("@status", sent ? "sent" : "pending"), ("@attempts", sent ? 1 : 0), ("@sentAt", sent ? now : (long?)null));

    public async Task<bool> EnqueueUpdateAsync(string postKey, ChatDestination destination, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(postKey);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var json = OutboxMessageSerializer.Serialize(message);
        var queued = await database.WriteGroupedAsync(async (c, t) =>
        {
            if (await c.ScalarAsync("SELECT 1 FROM chat_outbox WHERE key = @key", t, cancellationToken, ("@key", postKey)) is null)
            {
                // An edit of nothing would wait for ever; the caller learns at once instead.
                return 0;
            }

            // A post nobody has claimed yet simply goes out with the newer content: one send instead of two.
            var folded = await c.ExecuteAsync(
                "UPDATE chat_outbox SET message = @message WHERE key = @key AND status = 'pending' AND is_digest = 0",
                t, cancellationToken, ("@key", postKey), ("@message", json));
            if (folded > 0)
            {
                return folded;
            }

            // One edit row per message: newer content replaces older unsent content, and bumping the version
            // tells a sender already sending the older content to send again afterwards.
            await database.NotifyAsync(c, t, NotifyChannel, cancellationToken);
            return await c.ExecuteAsync(
                """
                INSERT INTO chat_outbox_edits (target_key, platform, channel, message, version, status, attempts, queued_at, due_at, updated_at)
                VALUES (@key, @platform, @channel, @message, 1, 'pending', 0, @now, @now, @now)
                ON CONFLICT(target_key) DO UPDATE SET
                    message = excluded.message,
                    version = chat_outbox_edits.version + 1,
                    attempts = 0,
                    error = NULL,
                    status = CASE WHEN chat_outbox_edits.status = 'claimed' THEN 'claimed' ELSE 'pending' END,
                    queued_at = CASE WHEN chat_outbox_edits.status IN ('pending', 'claimed') THEN chat_outbox_edits.queued_at ELSE excluded.queued_at END,
                    due_at = excluded.due_at,
                    updated_at = excluded.updated_at
                """,
                t, cancellationToken,
                ("@key", postKey), ("@platform", destination.Platform), ("@channel", destination.Channel), ("@message", json), ("@now", now));
        }, cancellationToken);
        return queued > 0;
    }

    public async Task<string?> GetMessageIdAsync(string postKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(postKey);
        return (string?)await database.ReadAsync(
            c => c.ScalarAsync("SELECT message_id FROM chat_outbox WHERE key = @key", null, cancellationToken, ("@key", postKey)), cancellationToken);
    }

    public async Task<ChatPostLocation?> LocateAsync(string postKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(postKey);
        var found = await database.ReadAsync(c => c.QueryAsync(
            "SELECT platform, channel, message_id FROM chat_outbox WHERE key = @key", null,
            r => new ChatPostLocation(new ChatDestination(r.GetString(0), r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2)),
            cancellationToken, ("@key", postKey)), cancellationToken);
        return found.SingleOrDefault();
    }

    public async Task<bool> ContainsAsync(string postKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(postKey);
        return await database.ReadAsync(
            c => c.ScalarAsync("SELECT 1 FROM chat_outbox WHERE key = @key", null, cancellationToken, ("@key", postKey)), cancellationToken) is not null;
    }

    public async Task<bool> AdoptAsync(string key, ChatDestination destination, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // A row that is already sent: the outbox never claims it, replies find its message id, and it is
        // purged after Retention like any other.
        return await database.WriteGroupedAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO chat_outbox (key, platform, channel, message, is_digest, status, attempts, queued_at, due_at, message_id, sent_at)
            VALUES (@key, @platform, @channel, @message, 0, 'sent', 0, @now, @now, @id, @now)
            ON CONFLICT(key) DO NOTHING
            """,
            t, cancellationToken,
            ("@key", key), ("@platform", destination.Platform), ("@channel", destination.Channel),
            ("@message", OutboxMessageSerializer.Serialize(OutgoingMessage.Plain(""))), ("@id", messageId), ("@now", now)), cancellationToken) > 0;
    }
}
