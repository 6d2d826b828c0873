using ChatOps.Integrations.Storage;

namespace ChatOps.Radiator.Events;

/// <summary>
/// Raw events (kept for <see cref="RadiatorOptions.EventRetention"/>) and per-key, per-minute
/// roll-ups (kept longer, for "same time last week"). Pulses read roll-ups only, so their cost
/// depends on the window, not on how many events arrived.
/// </summary>
internal sealed class EventStoreSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(4, "radiator events and roll-ups",
        [
            """
            CREATE TABLE IF NOT EXISTS radiator_events (
                id INTEGER PRIMARY KEY,
                ts INTEGER NOT NULL,
                key TEXT NOT NULL,
                value REAL NOT NULL,
                tags TEXT NULL,
                message TEXT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS radiator_events_ts ON radiator_events (ts)",
            """
            CREATE TABLE IF NOT EXISTS radiator_rollups (
                key TEXT NOT NULL,
                minute INTEGER NOT NULL,
                count INTEGER NOT NULL,
                sum REAL NOT NULL,
                min REAL NOT NULL,
                max REAL NOT NULL,
                latest INTEGER NOT NULL,
                histogram BLOB NOT NULL,
                PRIMARY KEY (key, minute)) WITHOUT ROWID
            """,
            "CREATE INDEX IF NOT EXISTS radiator_rollups_minute ON radiator_rollups (minute)",
            // Ids of events that carried one, kept as long as their roll-ups: a repeat within that time is skipped.
            "CREATE TABLE IF NOT EXISTS radiator_event_ids (id TEXT PRIMARY KEY, ts INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS radiator_event_ids_ts ON radiator_event_ids (ts)",
        ]),
    ];
}
