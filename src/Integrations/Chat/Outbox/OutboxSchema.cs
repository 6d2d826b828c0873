using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// Posts and edits waiting for, or done with, delivery. Times are Unix milliseconds.
/// Post status: pending → claimed → sent | failed, or pending → digested (merged into <c>digested_into</c>).
/// An edit row holds only the newest unsent content for one posted message (<c>version</c> counts replacements).
/// </summary>
internal sealed class OutboxSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(3, "chat outbox",
        [
            """
            CREATE TABLE IF NOT EXISTS chat_outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE,
                platform TEXT NOT NULL,
                channel TEXT NOT NULL,
                message TEXT NOT NULL,
                thread_of_key TEXT NULL,
                digest_noun TEXT NULL,
                is_digest INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                queued_at INTEGER NOT NULL,
                due_at INTEGER NOT NULL,
                lease_until INTEGER NULL,
                claim_token TEXT NULL,
                attempted_at INTEGER NULL,
                message_id TEXT NULL,
                digested_into TEXT NULL,
                error TEXT NULL,
                sent_at INTEGER NULL)
            """,
            "CREATE INDEX IF NOT EXISTS ix_chat_outbox_destination ON chat_outbox (platform, channel, status, queued_at)",
            "CREATE INDEX IF NOT EXISTS ix_chat_outbox_digested_into ON chat_outbox (digested_into)",
            // Only rows still to send: the dispatcher's every round looks here, and sent rows are kept for days.
            "CREATE INDEX IF NOT EXISTS ix_chat_outbox_live ON chat_outbox (platform, channel) WHERE status IN ('pending', 'claimed')",
            """
            CREATE TABLE IF NOT EXISTS chat_outbox_edits (
                target_key TEXT PRIMARY KEY,
                platform TEXT NOT NULL,
                channel TEXT NOT NULL,
                message TEXT NOT NULL,
                version INTEGER NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                queued_at INTEGER NOT NULL,
                due_at INTEGER NOT NULL,
                lease_until INTEGER NULL,
                claim_token TEXT NULL,
                claimed_version INTEGER NULL,
                attempted_at INTEGER NULL,
                error TEXT NULL,
                updated_at INTEGER NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS ix_chat_outbox_edits_destination ON chat_outbox_edits (platform, channel, status, queued_at)",
            "CREATE INDEX IF NOT EXISTS ix_chat_outbox_edits_live ON chat_outbox_edits (platform, channel) WHERE status IN ('pending', 'claimed')",
        ]),
        new(22, "chat outbox claim order",
        [
            // A destination's next row is read in claim order straight from the index: with thousands waiting (an alert
            // storm), a claim no longer sorts them all. Their prefix serves whatever the live-row indexes served.
            "CREATE INDEX IF NOT EXISTS ix_chat_outbox_claim ON chat_outbox (platform, channel, queued_at, is_digest DESC, seq) WHERE status IN ('pending', 'claimed')",
            "CREATE INDEX IF NOT EXISTS ix_chat_outbox_edits_claim ON chat_outbox_edits (platform, channel, queued_at) WHERE status IN ('pending', 'claimed')",
            "DROP INDEX IF EXISTS ix_chat_outbox_live",
            "DROP INDEX IF EXISTS ix_chat_outbox_edits_live",
        ]),
        new(28, "chat outbox digest index for digested rows only",
        [
            // Only posts merged into a digest are looked up by it: every other post is spared an index write.
            "CREATE INDEX IF NOT EXISTS ix_chat_outbox_digested ON chat_outbox (digested_into) WHERE digested_into IS NOT NULL",
            "DROP INDEX IF EXISTS ix_chat_outbox_digested_into",
        ]),
    ];
}
