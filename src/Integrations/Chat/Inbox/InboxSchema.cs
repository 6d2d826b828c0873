using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// One row per inbound delivery, keyed by the platform's delivery id: <c>received</c> when the
/// platform is answered, <c>started</c> just before the host's handler runs it (by the replica in <c>replica</c>), then
/// <c>done</c>, or <c>interrupted</c> when the replica died while it ran (it is never run again).
/// </summary>
internal sealed class InboxSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(9, "inbox",
        [
            """
            CREATE TABLE IF NOT EXISTS inbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                delivery_id TEXT NOT NULL UNIQUE,
                lane TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                summary TEXT NOT NULL,
                state TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                started_at INTEGER NULL,
                finished_at INTEGER NULL)
            """,
            "CREATE INDEX IF NOT EXISTS ix_inbox_state ON inbox (state, lane, seq)",
            "CREATE INDEX IF NOT EXISTS ix_inbox_finished ON inbox (finished_at)",
        ]),
        // The replica running a started delivery: another closes it only once that replica is dead.
        new(19, "inbox deliveries held by a replica",
        [
            "ALTER TABLE inbox ADD COLUMN replica TEXT NULL",
        ]),
        // Counting the open deliveries on every receive cost each one the backlog's size, so a burst slowed every
        // request behind it. The store keeps the count in one row beside them instead, counted from the rows here.
        new(27, "inbox open count",
        [
            "CREATE TABLE inbox_open (id INTEGER PRIMARY KEY, deliveries BIGINT NOT NULL)",
            $"INSERT INTO inbox_open (id, deliveries) SELECT 1, COUNT(*) FROM inbox WHERE {InboxStore.Open}",
        ]),
        // An answer given at intake looks for a delivery of the sender's that finished meanwhile. Without an index on the
        // sender's lane, PostgreSQL kept the plan it made while the table was empty, a full scan, on every status after.
        // Only deliveries that ran are in it: the many answered at intake never start, and cost it no write.
        new(30, "inbox finishes by lane, of deliveries that ran",
        [
            "CREATE INDEX IF NOT EXISTS ix_inbox_lane_finished ON inbox (lane, finished_at) WHERE started_at IS NOT NULL",
        ]),
    ];
}
