using ChatOps.Integrations.Storage;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// Alerts (state as JSON, keyed by id and fingerprint), silences, recent deployments per environment, and
/// what the rules and sources must remember across a restart (pending conditions, open outages).
/// </summary>
internal sealed class AlertSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(6, "alerts",
        [
            "CREATE TABLE IF NOT EXISTS radiator_alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, fingerprint TEXT NOT NULL UNIQUE, status TEXT NOT NULL, updated_at INTEGER NOT NULL, state TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS radiator_alerts_status ON radiator_alerts (status)",
            // A group's open, posted members: the oldest few by id, and the counts by status, read from the index
            // alone, so a burst of thousands into one group costs each new alert the same.
            "DROP INDEX IF EXISTS radiator_alerts_group",
            GroupIndex("radiator_alerts_group_id", "id"),
            GroupIndex("radiator_alerts_group_status", "status"),
            "CREATE TABLE IF NOT EXISTS radiator_alert_silences (id INTEGER PRIMARY KEY AUTOINCREMENT, matcher TEXT NOT NULL, created_by TEXT NOT NULL, until INTEGER NOT NULL, expired INTEGER NOT NULL DEFAULT 0)",
            "CREATE TABLE IF NOT EXISTS radiator_alert_cursors (source TEXT PRIMARY KEY, cursor TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS radiator_alert_deployments (environment TEXT PRIMARY KEY, finished_at INTEGER NOT NULL, what TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS radiator_alert_rule_pending (rule TEXT PRIMARY KEY, since INTEGER NOT NULL, checked_at INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS radiator_alert_source_outages (source TEXT PRIMARY KEY, since INTEGER NOT NULL, noticed INTEGER NOT NULL DEFAULT 0)",
        ]),
        // Counting a group from its index costs every publish the group's size: a storm of thousands into one group
        // slowed each new alert as the group grew. The store keeps the counts beside the rows instead (AlertStore).
        new(23, "alert group counts",
        [
            "CREATE TABLE radiator_alert_group_counts (group_name TEXT PRIMARY KEY, open_count INTEGER NOT NULL, firing_count INTEGER NOT NULL)",
            GroupCounts(SqlJson.Sqlite, SqlJson.Postgres),
        ]),
        // The tick read every open alert to find the few with something due. Each alert now carries its next due moment
        // (AlertDueTimes); rows from before have none until the first tick after start computes them.
        new(24, "alert due times",
        [
            "ALTER TABLE radiator_alerts ADD COLUMN due_at BIGINT NULL",
            "CREATE INDEX radiator_alerts_due ON radiator_alerts (due_at) WHERE status <> 'resolved'",
        ]),
        // A metrics scrape read every open alert for the oldest firing one's start; kept beside it, it is one index look.
        // Rows from before have none until the first tick after start fills it in.
        new(25, "alert start times",
        [
            "ALTER TABLE radiator_alerts ADD COLUMN starts_at BIGINT NULL",
            "CREATE INDEX radiator_alerts_firing_since ON radiator_alerts (starts_at) WHERE status = 'firing'",
        ]),
    ];

    /// <summary>The counts of the groups that exist when the table is made, from the rows, in each engine's JSON access.</summary>
    private static MigrationStatement GroupCounts(Func<string, string, string> sqlite, Func<string, string, string> postgres)
    {
        static string From(Func<string, string, string> json) =>
            $"""
            INSERT INTO radiator_alert_group_counts (group_name, open_count, firing_count)
            SELECT {AlertStore.Group(json)}, COUNT(*), SUM(CASE WHEN status = 'firing' THEN 1 ELSE 0 END)
            FROM radiator_alerts WHERE {AlertStore.Group(json)} IS NOT NULL AND {AlertStore.OpenAndPosted(json)}
            GROUP BY {AlertStore.Group(json)}
            """;
        return new(From(sqlite), From(postgres));
    }

    /// <summary>An index on the group's open, posted members, in each engine's JSON access (the store's queries use the same).</summary>
    private static MigrationStatement GroupIndex(string name, string column) => new(
        $"CREATE INDEX IF NOT EXISTS {name} ON radiator_alerts ({AlertStore.Group(SqlJson.Sqlite)}, {column}) WHERE {AlertStore.OpenAndPosted(SqlJson.Sqlite)}",
        $"CREATE INDEX IF NOT EXISTS {name} ON radiator_alerts ({AlertStore.Group(SqlJson.Postgres)}, {column}) WHERE {AlertStore.OpenAndPosted(SqlJson.Postgres)}");
}
