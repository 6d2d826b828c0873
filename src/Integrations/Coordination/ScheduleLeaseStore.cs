using System.Data.Common;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// The one owner of <c>schedule_leases</c>: which replica runs each radiator schedule. A lease passes to another
/// replica only when it has expired or its holder is dead, and its fencing token then grows, so a write made under
/// an older token can be refused (<see cref="IsCurrentAsync"/>). Rows are never deleted: the token must only grow.
/// </summary>
public sealed class ScheduleLeaseStore(StateDatabase database)
{
    /// <summary>
    /// Takes or renews the lease on <paramref name="schedule"/> for <paramref name="holder"/> until <paramref name="expiresAt"/>;
    /// returns its fencing token, or null while a live replica holds it.
    /// </summary>
    public Task<long?> TryHoldAsync(string schedule, string holder, DateTimeOffset now, DateTimeOffset expiresAt, long deadBefore, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            // One statement, so two replicas asking at once cannot both win: the engine's write lock orders them.
            var token = await c.ScalarAsync(
                $"""
                INSERT INTO schedule_leases (name, holder, token, acquired_at, expires_at) VALUES (@name, @holder, 1, @now, @exp)
                ON CONFLICT (name) DO UPDATE SET
                    token = CASE WHEN schedule_leases.holder = @holder AND schedule_leases.expires_at > @now THEN schedule_leases.token ELSE schedule_leases.token + 1 END,
                    acquired_at = CASE WHEN schedule_leases.holder = @holder AND schedule_leases.expires_at > @now THEN schedule_leases.acquired_at ELSE @now END,
                    holder = @holder,
                    expires_at = @exp
                WHERE schedule_leases.holder = @holder OR schedule_leases.expires_at <= @now OR schedule_leases.holder NOT IN ({ReplicaStore.LiveNames})
                RETURNING token
                """, t, cancellationToken,
                ("@name", schedule), ("@holder", holder), ("@now", now.ToUnixTimeMilliseconds()), ("@exp", expiresAt.ToUnixTimeMilliseconds()),
                ("@deadBefore", deadBefore));
            return token is null ? (long?)null : Convert.ToInt64(token, System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    /// <summary>Extends every unexpired lease <paramref name="holder"/> holds (with its heartbeat); an expired one stays lost.</summary>
    public Task<int> RenewAllAsync(string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE schedule_leases SET expires_at = @exp WHERE holder = @holder AND expires_at > @now", t, cancellationToken,
            ("@exp", expiresAt.ToUnixTimeMilliseconds()), ("@holder", holder), ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);

    /// <summary>A clean stop: every lease of <paramref name="holder"/> expires now, so another replica takes it at its next tick.</summary>
    public Task<int> ReleaseAllAsync(string holder, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE schedule_leases SET expires_at = 0 WHERE holder = @holder", t, cancellationToken, ("@holder", holder)), cancellationToken);

    /// <summary>
    /// Inside a caller's write transaction: whether <paramref name="fence"/> is still the schedule's current lease, i.e.
    /// no other replica took it since. A write that a stale holder must not make checks this first.
    /// </summary>
    public static async Task<bool> IsCurrentAsync(DbConnection connection, DbTransaction transaction, ScheduleFence fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(fence);
        return await connection.ScalarAsync("SELECT 1 FROM schedule_leases WHERE name = @name AND token = @token", transaction, cancellationToken,
            ("@name", fence.Schedule), ("@token", fence.Token)) is not null;
    }

    /// <summary>Every schedule's lease, for the read API and tests.</summary>
    public Task<List<ScheduleLeaseRow>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryAsync("SELECT name, holder, token, acquired_at, expires_at FROM schedule_leases ORDER BY name", null,
            r => new ScheduleLeaseRow(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetTimestamp(3), r.GetTimestamp(4)), cancellationToken), cancellationToken);
}

/// <summary>One schedule's lease as recorded.</summary>
public sealed record ScheduleLeaseRow(string Name, string Holder, long Token, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);
