using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Teams;

/// <summary>
/// The conversations the bot knows in Teams: one row per conversation (a channel, a group chat, a personal chat),
/// with the Connector address its messages go to and, since migration 14, what Microsoft Graph calls it. Rewritten by
/// every verified activity from it. Times are Unix milliseconds.
/// </summary>
internal sealed class TeamsConversationSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(13, "teams conversation references",
        [
            """
            CREATE TABLE IF NOT EXISTS teams_conversations (
                conversation_id TEXT PRIMARY KEY,
                service_url TEXT NOT NULL,
                tenant_id TEXT NULL,
                bot_id TEXT NOT NULL,
                bot_name TEXT NULL,
                updated_at INTEGER NOT NULL)
            """,
        ]),
        // What Microsoft Graph needs to find a post whose answer was lost: a channel is addressed through its team.
        // Kept portable (plain ADD COLUMN, TEXT), as the store may live in PostgreSQL.
        new(14, "teams conversation graph address",
        [
            "ALTER TABLE teams_conversations ADD COLUMN conversation_type TEXT NULL",
            "ALTER TABLE teams_conversations ADD COLUMN team_id TEXT NULL",
        ]),
    ];
}
