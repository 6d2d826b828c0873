using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// Runs, the lease per environment with its fencing counter, and environment locks. A run's chat
/// message is the outbox's post <c>run:{id}</c>; older databases keep an unused <c>runs.message_id</c>.
/// </summary>
internal sealed class WorkflowSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(7, "runs, leases and locks",
        [
            """
            CREATE TABLE IF NOT EXISTS runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                environment TEXT NOT NULL,
                verb TEXT NOT NULL,
                arguments TEXT NOT NULL,
                requester_id TEXT NOT NULL,
                requester_name TEXT NOT NULL,
                platform TEXT NOT NULL,
                channel TEXT NOT NULL,
                status TEXT NOT NULL,
                steps TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                started_at INTEGER NULL,
                ended_at INTEGER NULL,
                fencing_token INTEGER NULL,
                result TEXT NULL,
                output_tail TEXT NOT NULL DEFAULT '[]')
            """,
            "CREATE INDEX IF NOT EXISTS ix_runs_environment ON runs (environment, id DESC)",
            "CREATE INDEX IF NOT EXISTS ix_runs_status ON runs (status)",
            """
            CREATE TABLE IF NOT EXISTS leases (
                environment TEXT PRIMARY KEY,
                run_id INTEGER NOT NULL,
                holder_name TEXT NOT NULL,
                verb TEXT NOT NULL,
                token INTEGER NOT NULL,
                acquired_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL)
            """,
            "CREATE TABLE IF NOT EXISTS fencing (environment TEXT PRIMARY KEY, last_token INTEGER NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS environment_locks (
                environment TEXT PRIMARY KEY,
                holder_id TEXT NOT NULL,
                holder_name TEXT NOT NULL,
                reason TEXT NULL,
                acquired_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL)
            """,
            // Finished runs whose observers (the deployment feed) were all told; the rest are told after a restart.
            "CREATE TABLE IF NOT EXISTS run_observed (run_id INTEGER PRIMARY KEY, observed_at INTEGER NOT NULL)",
        ])
        {
            AddedColumns =
            [
                // Who approved a run that needed four eyes; older databases gain it empty.
                new("runs", "approved_by", "TEXT NULL"),
            ],
        },
        // The replica holding a run and its lease: another replica recovers the run only once that one is dead.
        new(18, "runs held by a replica",
        [
            "ALTER TABLE runs ADD COLUMN replica TEXT NULL",
            "ALTER TABLE leases ADD COLUMN replica TEXT NULL",
        ]),
    ];
}
