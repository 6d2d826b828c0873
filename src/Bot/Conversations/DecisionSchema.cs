using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Conversations;

internal sealed class DecisionSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(8, "decisions, clarifications and command offers",
        [
            """
            CREATE TABLE IF NOT EXISTS decisions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id INTEGER NOT NULL,
                kind TEXT NOT NULL,
                verb TEXT NOT NULL,
                environment TEXT NOT NULL,
                requester_id TEXT NOT NULL,
                requester_name TEXT NOT NULL,
                approver_role TEXT NULL,
                preview TEXT NOT NULL,
                status TEXT NOT NULL,
                answered_by TEXT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                platform TEXT NOT NULL,
                channel TEXT NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS ix_decisions_pending ON decisions (status, expires_at)",
            // Platform retries are now recognised by the inbox (Integrations/Chat/Inbox/InboxSchema); this table was their record before.
            "DROP TABLE IF EXISTS inbound_deliveries",
            "CREATE TABLE IF NOT EXISTS clarifications (conversation TEXT PRIMARY KEY, text TEXT NOT NULL, expires_at INTEGER NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS command_offers (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                reply_key TEXT NOT NULL,
                platform TEXT NOT NULL,
                channel TEXT NOT NULL,
                principal_id TEXT NOT NULL,
                principal_name TEXT NOT NULL,
                text TEXT NOT NULL,
                question TEXT NULL,
                message TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                used INTEGER NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS ix_command_offers_reply ON command_offers (reply_key)",
        ]),
    ];
}
