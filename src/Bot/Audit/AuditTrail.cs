using ChatOps.Integrations.Storage;
using Microsoft.Data.Sqlite;

namespace ChatOps.Bot.Audit;

/// <summary>
/// The append-only, hash-chained audit trail. Each record's hash covers the previous one's, so
/// editing or deleting any record breaks the chain from there on, and <see cref="VerifyAsync"/> names it.
/// </summary>
public sealed class AuditTrail(StateDatabase database, TimeProvider time)
{
    private const string Columns = "seq, at, actor_id, actor_name, action, environment, run_id, detail, prev_hash, hash";

    public Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var head = (await c.QueryAsync("SELECT count, hash FROM audit_head WHERE id = 1", t, r => (Count: r.GetInt64(0), Hash: r.GetString(1)), cancellationToken)).SingleOrDefault();
            var seq = head.Hash is null ? 1 : head.Count + 1;
            var prev = head.Hash ?? AuditRecord.GenesisHash;
            var at = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
            var hash = AuditRecord.ComputeHash(seq, at, entry, prev);
            await c.ExecuteAsync(
                $"INSERT INTO audit ({Columns}) VALUES (@seq, @at, @aid, @aname, @action, @env, @run, @detail, @prev, @hash)", t, cancellationToken,
                ("@seq", seq), ("@at", at.ToUnixTimeMilliseconds()), ("@aid", entry.ActorId), ("@aname", entry.ActorName), ("@action", entry.Action),
                ("@env", entry.Environment), ("@run", entry.RunId), ("@detail", entry.Detail), ("@prev", prev), ("@hash", hash));
            await c.ExecuteAsync(
                "INSERT INTO audit_head (id, count, hash) VALUES (1, @count, @hash) ON CONFLICT (id) DO UPDATE SET count = @count, hash = @hash",
                t, cancellationToken, ("@count", seq), ("@hash", hash));
            return new AuditRecord(seq, at, entry.ActorId, entry.ActorName, entry.Action, entry.Environment, entry.RunId, entry.Detail, prev, hash);
        }, cancellationToken);

    /// <summary>Records oldest first, optionally for one environment, after <paramref name="afterSeq"/>.</summary>
    public Task<List<AuditRecord>> ListAsync(string? environment, long afterSeq, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryAsync(
            $"SELECT {Columns} FROM audit WHERE (@env IS NULL OR environment = @env) AND seq > @after ORDER BY seq LIMIT @limit",
            null, Map, cancellationToken, ("@env", environment), ("@after", afterSeq), ("@limit", limit)), cancellationToken);

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var expectedPrev = AuditRecord.GenesisHash;
            var expectedSeq = 1L;
            await using (var command = c.Command($"SELECT {Columns} FROM audit ORDER BY seq"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var record = Map(reader);
                    if (record.Seq != expectedSeq)
                    {
                        return new AuditVerification(false, expectedSeq - 1, expectedSeq, $"record {expectedSeq} is missing");
                    }

                    if (record.PrevHash != expectedPrev)
                    {
                        return new AuditVerification(false, expectedSeq - 1, record.Seq, $"record {record.Seq} does not follow record {record.Seq - 1}: the previous hash differs");
                    }

                    if (record.ExpectedHash() != record.Hash)
                    {
                        return new AuditVerification(false, expectedSeq - 1, record.Seq, $"record {record.Seq} was changed after it was written: its hash does not match its content");
                    }

                    expectedPrev = record.Hash;
                    expectedSeq++;
                }
            }

            var count = expectedSeq - 1;
            var head = (await c.QueryAsync("SELECT count, hash FROM audit_head WHERE id = 1", null, r => (Count: r.GetInt64(0), Hash: r.GetString(1)), cancellationToken)).SingleOrDefault();
            var headCount = head.Hash is null ? 0 : head.Count;
            if (headCount != count || (count > 0 && head.Hash != expectedPrev))
            {
                return new AuditVerification(false, count, count + 1, $"the trail ends at record {count} but {headCount} were written: records were removed from the end");
            }

            return new AuditVerification(true, count, null, null);
        }, cancellationToken);

    private static AuditRecord Map(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetTimestamp(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetNullableString(5),
        r.IsDBNull(6) ? null : r.GetInt64(6), r.GetString(7), r.GetString(8), r.GetString(9));
}
