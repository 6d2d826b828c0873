using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Watch;

/// <summary>
/// Drift incidents: one row per time an environment the bot believed up stopped serving as it should.
/// At most one is open per environment, so a restart during an incident finds it and announces nothing twice.
/// </summary>
internal sealed class DriftSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(11, "drift incidents",
        [
            """
            CREATE TABLE IF NOT EXISTS drift_incidents (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                environment TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                problems TEXT NOT NULL,
                destinations TEXT NOT NULL,
                resolved_at INTEGER NULL,
                resolution TEXT NULL)
            """,
            "CREATE UNIQUE INDEX IF NOT EXISTS ux_drift_open ON drift_incidents (environment) WHERE resolved_at IS NULL",
        ]),
    ];
}
