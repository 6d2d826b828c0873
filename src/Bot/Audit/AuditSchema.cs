using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Audit;

internal sealed class AuditSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(10, "audit trail",
        [
            """
            CREATE TABLE IF NOT EXISTS audit (
                seq INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                actor_id TEXT NOT NULL,
                actor_name TEXT NOT NULL,
                action TEXT NOT NULL,
                environment TEXT NULL,
                run_id INTEGER NULL,
                detail TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS ix_audit_environment ON audit (environment, seq)",
            // The head names the newest record and the count, so removing records from the end is caught too.
            "CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL, hash TEXT NOT NULL)",
        ]),
    ];
}
