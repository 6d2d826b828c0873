using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>
/// One row per interaction the bot answered with a deferral: its token (valid for 15 minutes from
/// <c>received_at</c>), where and by whom it was made, and what became of its original response: which outbox
/// post filled it (<c>original_key</c>) and Discord's id for that message, so edits find their way back to it.
/// </summary>
internal sealed class DiscordInteractionSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(12, "discord interactions",
        [
            """
            CREATE TABLE discord_interactions (
                interaction_id TEXT NOT NULL PRIMARY KEY,
                token TEXT NOT NULL,
                type INTEGER NOT NULL,
                channel_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                message_id TEXT NULL,
                received_at INTEGER NOT NULL,
                original_key TEXT NULL,
                original_message_id TEXT NULL,
                original_deleted INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX ix_discord_interactions_original ON discord_interactions (original_message_id)",
            "CREATE INDEX ix_discord_interactions_press ON discord_interactions (channel_id, message_id, user_id)",
            "CREATE INDEX ix_discord_interactions_received ON discord_interactions (received_at)",
        ]),
    ];
}
