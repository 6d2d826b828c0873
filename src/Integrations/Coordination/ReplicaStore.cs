using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// The one owner of the <c>replicas</c> table: who is alive, by heartbeat. Stores whose rows a replica holds
/// (runs, inbox deliveries) test liveness inside their own statements with <see cref="LiveNames"/>, so the test
/// and the write are one step.
/// </summary>
public sealed class ReplicaStore(StateDatabase database, TimeProvider time)
{
    /// <summary>
    /// The names of the live replicas, for <c>NOT IN (…)</c> in another store's statement; it needs a
    /// <c>@deadBefore</c> parameter (<see cref="ReplicaIdentity.DeadBefore"/>).
    /// </summary>
    public const string LiveNames = "SELECT name FROM replicas WHERE beat_at > @deadBefore";

    /// <summary>
    /// Records <paramref name="self"/> as a live replica, unless a live replica already has its name. Returns that
    /// replica, or null when this one is registered. A row left under the name by a process of this host that no
    /// longer runs (a restart after kill -9 with a fixed name) is taken over.
    /// </summary>
    public Task<ReplicaRow?> RegisterAsync(ReplicaIdentity self, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        return database.WriteAsync(async (c, t) =>
        {
            var now = time.GetUtcNow();
            var existing = (await c.QueryAsync("SELECT name, host, process_id, started_at, beat_at, settings FROM replicas WHERE name = @name",
                t, Map, cancellationToken, ("@name", self.Name))).SingleOrDefault();
            if (existing is not null && existing.BeatAt.ToUnixTimeMilliseconds() > self.DeadBefore(now) && !IsGoneFromThisHost(existing, self))
            {
                return existing;
            }

            await UpsertAsync(c, t, self, now, startedAt: now, cancellationToken);

            // A replica of this host whose process is gone (kill -9, then this restart) is dead now, not after its
            // heartbeat ages: what it held is recovered at this start, as one process always did.
            var sameHost = await c.QueryAsync("SELECT name, host, process_id, started_at, beat_at, settings FROM replicas WHERE host = @host AND name <> @name AND beat_at > 0",
                t, Map, cancellationToken, ("@host", self.Host), ("@name", self.Name));
            foreach (var gone in sameHost.Where(r => r.ProcessId != self.ProcessId && IsGoneFromThisHost(r, self)))
            {
                await c.ExecuteAsync("UPDATE replicas SET beat_at = 0 WHERE name = @name", t, cancellationToken, ("@name", gone.Name));
            }

            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// Says <paramref name="self"/> is alive now. Inserts the row again if another replica pruned it while this one
    /// could not write: its runs were recovered then, but it is alive.
    /// </summary>
    public Task BeatAsync(ReplicaIdentity self, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        return database.WriteAsync((c, t) => UpsertAsync(c, t, self, time.GetUtcNow(), startedAt, cancellationToken), cancellationToken);
    }

    /// <summary>A clean stop: the replica is gone at once, rather than after <see cref="ReplicaIdentity.DeadAfter"/>.</summary>
    public Task RemoveAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM replicas WHERE name = @name", t, cancellationToken, ("@name", name)), cancellationToken);

    /// <summary>Forgets replicas silent since before <paramref name="cutoff"/> (their work was recovered long ago); returns how many.</summary>
    public Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM replicas WHERE beat_at < @cutoff", t, cancellationToken,
            ("@cutoff", cutoff.ToUnixTimeMilliseconds())), cancellationToken);

    /// <summary>
    /// How far this replica's clock is from the database server's, by this clock read just before and just after one read
    /// of the server's; null when the store is on this machine (SQLite), whose clock it shares.
    /// </summary>
    public async Task<ClockOffset?> ClockOffsetAsync(CancellationToken cancellationToken)
    {
        if (database.ServerClockSql is not { } sql)
        {
            return null;
        }

        return await database.ReadAsync(async c =>
        {
            var before = time.GetUtcNow();
            var server = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(await c.ScalarAsync(sql, null, cancellationToken), CultureInfo.InvariantCulture));
            var halfTrip = (time.GetUtcNow() - before) / 2;
            return new ClockOffset(server - (before + halfTrip), halfTrip);
        }, cancellationToken);
    }

    /// <summary>Every replica on record, the newest first.</summary>
    public Task<List<ReplicaRow>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryAsync("SELECT name, host, process_id, started_at, beat_at, settings FROM replicas ORDER BY started_at DESC",
            null, Map, cancellationToken), cancellationToken);

    private static Task<int> UpsertAsync(DbConnection c, DbTransaction t, ReplicaIdentity self, DateTimeOffset now, DateTimeOffset startedAt, CancellationToken cancellationToken) =>
        c.ExecuteAsync(
            """
            INSERT INTO replicas (name, host, process_id, started_at, beat_at, settings) VALUES (@name, @host, @pid, @started, @now, @settings)
            ON CONFLICT (name) DO UPDATE SET host = excluded.host, process_id = excluded.process_id, started_at = excluded.started_at, beat_at = excluded.beat_at,
              settings = excluded.settings
            """, t, cancellationToken, ("@settings", self.Settings),
            ("@name", self.Name), ("@host", self.Host), ("@pid", (long)self.ProcessId), ("@started", startedAt.ToUnixTimeMilliseconds()),
            ("@now", now.ToUnixTimeMilliseconds()));

    /// <summary>Only a process of this host can be looked for; one elsewhere counts as alive until its heartbeat is old.</summary>
    private static bool IsGoneFromThisHost(ReplicaRow row, ReplicaIdentity self)
    {
        if (row.Host != self.Host || row.ProcessId == self.ProcessId)
        {
            return row.Host == self.Host;
        }

        try
        {
            using var process = Process.GetProcessById((int)row.ProcessId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static ReplicaRow Map(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetTimestamp(3), r.GetTimestamp(4), r.IsDBNull(5) ? null : r.GetString(5));
}

/// <summary>One replica as recorded: where it runs, when it last said it was alive, and its settings' digests (<see cref="ReplicaSettings"/>).</summary>
public sealed record ReplicaRow(string Name, string Host, long ProcessId, DateTimeOffset StartedAt, DateTimeOffset BeatAt, string? Settings = null);
