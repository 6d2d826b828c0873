using System.Data.Common;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Conversations;

/// <summary>Confirmations and approvals: asked, answered once, or expired.</summary>
internal sealed class DecisionStore(StateDatabase database, TimeProvider time)
{
    private const string Columns =
        "id, run_id, kind, verb, environment, requester_id, requester_name, approver_role, preview, status, answered_by, created_at, expires_at, platform, channel";

    public Task<Decision> CreateAsync(long runId, DecisionKind kind, string verb, string environment, string requesterId, string requesterName, string? approverRole,
        string preview, TimeSpan expiresIn, ChatDestination destination, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = time.GetUtcNow();
            var id = (long)(await c.ScalarAsync(
                $"""
                INSERT INTO decisions (run_id, kind, verb, environment, requester_id, requester_name, approver_role, preview, status, created_at, expires_at, platform, channel)
                VALUES (@run, @kind, @verb, @env, @rid, @rname, @role, @preview, 'pending', @now, @exp, @platform, @channel) RETURNING id
                """, t, cancellationToken,
                ("@run", runId), ("@kind", kind.ToString().ToLowerInvariant()), ("@verb", verb), ("@env", environment), ("@rid", PrincipalId.Of(requesterId)), ("@rname", requesterName),
                ("@role", approverRole), ("@preview", preview), ("@now", now.ToUnixTimeMilliseconds()), ("@exp", (now + expiresIn).ToUnixTimeMilliseconds()),
                ("@platform", destination.Platform), ("@channel", destination.Channel)))!;
            return (await c.QueryAsync($"SELECT {Columns} FROM decisions WHERE id = @id", t, Map, cancellationToken, ("@id", id))).Single();
        }, cancellationToken);

    public Task<Decision?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync($"SELECT {Columns} FROM decisions WHERE id = @id", null, Map, cancellationToken, ("@id", id))).SingleOrDefault(), cancellationToken);

    /// <summary>The caller's pending confirmation in a channel, for "type the environment's name to confirm".</summary>
    public Task<Decision?> FindPendingConfirmationAsync(string requesterId, ChatDestination destination, string environment, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync(
            $"""
            SELECT {Columns} FROM decisions WHERE status = 'pending' AND kind = 'confirm' AND requester_id = @rid AND platform = @p AND channel = @ch
              AND environment = @env AND expires_at > @now ORDER BY id DESC LIMIT 1
            """, null, Map, cancellationToken, ("@rid", PrincipalId.Of(requesterId)), ("@p", destination.Platform), ("@ch", destination.Channel), ("@env", environment),
            ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()))).SingleOrDefault(), cancellationToken);

    /// <summary>
    /// Answers a pending, unexpired decision. False when it was already answered or has expired in
    /// the meantime: exactly one answer ever wins.
    /// </summary>
    public Task<bool> AnswerAsync(long id, DecisionStatus answer, string answeredBy, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "UPDATE decisions SET status = @s, answered_by = @by WHERE id = @id AND status = 'pending' AND expires_at > @now",
            t, cancellationToken, ("@s", answer.ToString().ToLowerInvariant()), ("@by", answeredBy), ("@id", id),
            ("@now", time.GetUtcNow().ToUnixTimeMilliseconds())) == 1, cancellationToken);

    /// <summary>Marks every pending decision past its expiry as expired and returns them.</summary>
    public Task<List<Decision>> ExpireDueAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var due = await c.QueryAsync($"SELECT {Columns} FROM decisions WHERE status = 'pending' AND expires_at <= @now", t, Map, cancellationToken, ("@now", now));
            await c.ExecuteAsync("UPDATE decisions SET status = 'expired' WHERE status = 'pending' AND expires_at <= @now", t, cancellationToken, ("@now", now));
            return due;
        }, cancellationToken);

    private static Decision Map(DbDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), Enum.Parse<DecisionKind>(r.GetString(2), ignoreCase: true), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
        r.GetNullableString(7), r.GetString(8), Enum.Parse<DecisionStatus>(r.GetString(9), ignoreCase: true), r.GetNullableString(10),
        r.GetTimestamp(11), r.GetTimestamp(12), new ChatDestination(r.GetString(13), r.GetString(14)));
}
