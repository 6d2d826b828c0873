using System.Data.Common;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Audit;

/// <summary>
/// Owns <c>audit</c> and <c>audit_head</c>. Its operations join the caller's transaction, because appending and
/// re-chaining read the head, hash, and write in one (<see cref="AuditTrail"/> holds the chain's rules).
/// </summary>
internal static class AuditStore
{
    private const string Columns = "seq, at, actor_id, actor_name, action, environment, run_id, detail, prev_hash, hash";

    /// <summary>Records oldest first, optionally for one environment, after <paramref name="afterSeq"/>.</summary>
    public static Task<List<AuditRecord>> ListAsync(DbConnection c, string? environment, long afterSeq, int limit, CancellationToken cancellationToken) =>
        c.QueryAsync($"SELECT {Columns} FROM audit WHERE (CAST(@env AS TEXT) IS NULL OR environment = @env) AND seq > @after ORDER BY seq LIMIT @limit",
            null, Map, cancellationToken, ("@env", environment), ("@after", afterSeq), ("@limit", limit));

    public static Task<List<AuditRecord>> AllAsync(DbConnection c, DbTransaction? t, CancellationToken cancellationToken) =>
        c.QueryAsync($"SELECT {Columns} FROM audit ORDER BY seq", t, Map, cancellationToken);

    /// <summary>Hands every record to <paramref name="next"/>, oldest first, without holding them all; stops when it returns false.</summary>
    public static async Task ForEachAsync(DbConnection c, Func<AuditRecord, bool> next, CancellationToken cancellationToken)
    {
        await using var command = c.Command($"SELECT {Columns} FROM audit ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken) && next(Map(reader)))
        {
        }
    }

    public static async Task<AuditHead?> HeadAsync(DbConnection c, DbTransaction? t, CancellationToken cancellationToken) =>
        (await c.QueryAsync("SELECT count, hash FROM audit_head WHERE id = 1", t, r => new AuditHead(r.GetInt64(0), r.GetString(1)), cancellationToken)).SingleOrDefault();

    public static async Task AppendAsync(DbConnection c, DbTransaction t, AuditRecord record, CancellationToken cancellationToken)
    {
        await c.ExecuteAsync(
            $"INSERT INTO audit ({Columns}) VALUES (@seq, @at, @aid, @aname, @action, @env, @run, @detail, @prev, @hash)", t, cancellationToken,
            ("@seq", record.Seq), ("@at", record.At.ToUnixTimeMilliseconds()), ("@aid", record.ActorId), ("@aname", record.ActorName), ("@action", record.Action),
            ("@env", record.Environment), ("@run", record.RunId), ("@detail", record.Detail), ("@prev", record.PrevHash), ("@hash", record.Hash));
        await c.ExecuteAsync(
            "INSERT INTO audit_head (id, count, hash) VALUES (1, @count, @hash) ON CONFLICT (id) DO UPDATE SET count = @count, hash = @hash",
            t, cancellationToken, ("@count", record.Seq), ("@hash", record.Hash));
    }

    public static Task RechainAsync(DbConnection c, DbTransaction t, long seq, string prevHash, string hash, CancellationToken cancellationToken) =>
        c.ExecuteAsync("UPDATE audit SET prev_hash = @prev, hash = @hash WHERE seq = @seq", t, cancellationToken, ("@prev", prevHash), ("@hash", hash), ("@seq", seq));

    public static Task SetHeadHashAsync(DbConnection c, DbTransaction t, string hash, CancellationToken cancellationToken) =>
        c.ExecuteAsync("UPDATE audit_head SET hash = @hash WHERE id = 1", t, cancellationToken, ("@hash", hash));

    private static AuditRecord Map(DbDataReader r) => new(
        r.GetInt64(0), r.GetTimestamp(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetNullableString(5),
        r.IsDBNull(6) ? null : r.GetInt64(6), r.GetString(7), r.GetString(8), r.GetString(9));
}
