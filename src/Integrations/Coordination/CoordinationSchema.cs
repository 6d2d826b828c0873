using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// The replicas sharing this store, each with its last heartbeat (Unix ms), and one lease per radiator schedule:
/// who runs it, until when, and a fencing token that grows each time it changes hands. Written in the SQL both
/// engines share (no AUTOINCREMENT; BIGINT times).
/// </summary>
internal sealed class CoordinationSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(17, "replicas and schedule leases",
        [
            """
            CREATE TABLE replicas (
                name TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                process_id BIGINT NOT NULL,
                started_at BIGINT NOT NULL,
                beat_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE schedule_leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                token BIGINT NOT NULL,
                acquired_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL)
            """,
        ]),
        // The digests of the settings replicas must share (ReplicaSettings); null for a replica from before.
        new(26, "replica settings digests", ["ALTER TABLE replicas ADD COLUMN settings TEXT NULL"]),
    ];
}
