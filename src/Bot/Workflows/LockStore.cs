using System.Data.Common;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Workflows;

/// <summary>People's holds on environments (<c>/env lock</c>), with an expiry.</summary>
internal sealed class LockStore(StateDatabase database, TimeProvider time)
{
    internal const string SelectActive =
        "SELECT environment, holder_id, holder_name, reason, acquired_at, expires_at FROM environment_locks WHERE environment = @env AND expires_at > @now";

    /// <summary>Takes or extends the caller's lock; returns the other holder's lock instead when someone else holds it.</summary>
    public Task<(bool Taken, LockInfo Lock)> TakeAsync(string environment, string holderId, string holderName, string? reason, TimeSpan duration, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = time.GetUtcNow();
            var existing = (await c.QueryAsync(SelectActive, t, MapLock, cancellationToken, ("@env", environment), ("@now", now.ToUnixTimeMilliseconds()))).SingleOrDefault();
            if (existing is not null && !PrincipalId.Same(existing.HolderId, holderId))
            {
                return (false, existing);
            }

            var taken = new LockInfo(environment, PrincipalId.Of(holderId), holderName, reason, existing?.AcquiredAt ?? now, now + duration);
            await c.ExecuteAsync(
                """
                INSERT INTO environment_locks (environment, holder_id, holder_name, reason, acquired_at, expires_at) VALUES (@env, @id, @name, @reason, @at, @exp)
                ON CONFLICT (environment) DO UPDATE SET holder_id = @id, holder_name = @name, reason = @reason, acquired_at = @at, expires_at = @exp
                """, t, cancellationToken,
                ("@env", environment), ("@id", taken.HolderId), ("@name", holderName), ("@reason", reason),
                ("@at", taken.AcquiredAt.ToUnixTimeMilliseconds()), ("@exp", taken.ExpiresAt.ToUnixTimeMilliseconds()));
            return (true, taken);
        }, cancellationToken);

    public Task<LockInfo?> GetAsync(string environment, CancellationToken cancellationToken) =>
        database.ReadAsync(c => GetAsync(c, null, environment, cancellationToken), cancellationToken);

    /// <summary>The lock held on <paramref name="environment"/> now, in the caller's transaction.</summary>
    public async Task<LockInfo?> GetAsync(DbConnection c, DbTransaction? t, string environment, CancellationToken cancellationToken) =>
        (await c.QueryAsync(SelectActive, t, MapLock, cancellationToken, ("@env", environment), ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()))).SingleOrDefault();

    /// <summary>Releases the lock if it is still the one the caller saw (so a race never removes a newer lock).</summary>
    public Task<bool> ReleaseAsync(LockInfo held, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "DELETE FROM environment_locks WHERE environment = @env AND holder_id = @id AND acquired_at = @at", t, cancellationToken,
            ("@env", held.Environment), ("@id", held.HolderId), ("@at", held.AcquiredAt.ToUnixTimeMilliseconds())) == 1, cancellationToken);

    internal static LockInfo MapLock(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetNullableString(3), r.GetTimestamp(4), r.GetTimestamp(5));
}
