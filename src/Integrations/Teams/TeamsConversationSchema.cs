using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Teams;

/// <summary>
/// The conversations the bot knows in Teams: one row per conversation (a channel, a group chat, a personal chat),
/// with the Connector address its messages go to. Rewritten by every verified activity from it. Times are Unix milliseconds.
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
    ];
}
