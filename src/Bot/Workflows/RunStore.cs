using System.Data.Common;
using System.Text.Json;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// Runs and leases in the state store. Creating a run, checking the lock and taking the lease happen
/// in one write transaction, so twenty identical requests at once make exactly one run.
/// Every write by a run's executor carries its fencing token: a holder whose lease was taken over
/// can no longer change the record. A run and its lease record the replica that holds them; a run in flight is
/// recovered (interrupted) only once that replica is dead, and a run recovery closed stays closed.
/// </summary>
internal sealed class RunStore(StateDatabase database, TimeProvider time, ReplicaIdentity replica)
{
    private const string SelectActiveLease =
        "SELECT environment, run_id, holder_name, verb, token, acquired_at, expires_at FROM leases WHERE environment = @env AND expires_at > @now";

    private const string RunColumns =
        "id, environment, verb, arguments, requester_id, requester_name, platform, channel, status, steps, created_at, started_at, ended_at, fencing_token, result, output_tail, approved_by, replica";

    // A run's replica is dead (or, at start, this replica's own name was a process that stopped); null is a run from
    // before replicas were recorded, left by the one process there was.
    // While running, this replica's own runs are never left, even when its heartbeat is late.
    private const string HolderIsLeft = $"(replica IS NULL OR replica = @mine OR (replica <> @me AND replica NOT IN ({ReplicaStore.LiveNames})))";

    /// <summary>Creates a run that waits for a confirmation or approval; it takes no lease yet.</summary>
    public Task<RunRecord> CreateAwaitingAsync(NewRun run, RunStatus status, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var id = await InsertAsync(c, t, run, status, token: null, cancellationToken);
            return (await GetAsync(c, t, id, cancellationToken))!;
        }, cancellationToken);

    /// <summary>Creates a run and takes the environment's lease for it, unless the environment is busy or locked by someone else.</summary>
    public Task<LeaseOutcome> CreateWithLeaseAsync(NewRun run, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await BlockerAsync(c, t, run.Environment, run.RequesterId, cancellationToken) is { } blocked)
            {
                return blocked;
            }

            var token = await NextTokenAsync(c, t, run.Environment, cancellationToken);
            var id = await InsertAsync(c, t, run, RunStatus.Pending, token, cancellationToken);
            await InsertLeaseAsync(c, t, run.Environment, id, run.RequesterName, run.Verb, token, leaseDuration, cancellationToken);
            return (LeaseOutcome)new LeaseOutcome.Acquired((await GetAsync(c, t, id, cancellationToken))!, token);
        }, cancellationToken);

    /// <summary>Takes the lease for a run that was waiting for a decision.</summary>
    public Task<LeaseOutcome> LeaseAwaitingAsync(long runId, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var run = await GetAsync(c, t, runId, cancellationToken);
            if (run is null || run.Status is not (RunStatus.AwaitingConfirmation or RunStatus.AwaitingApproval))
            {
                return new LeaseOutcome.NotStartable(runId, run?.Status);
            }

            if (await BlockerAsync(c, t, run.Environment, run.RequesterId, cancellationToken) is { } blocked)
            {
                return blocked;
            }

            var token = await NextTokenAsync(c, t, run.Environment, cancellationToken);
            await c.ExecuteAsync("UPDATE runs SET status = @s, fencing_token = @token, replica = @replica WHERE id = @id", t, cancellationToken,
                ("@s", RunStatus.Pending.ToWire()), ("@token", token), ("@replica", replica.Name), ("@id", runId));
            await InsertLeaseAsync(c, t, run.Environment, runId, run.RequesterName, run.Verb, token, leaseDuration, cancellationToken);
            return (LeaseOutcome)new LeaseOutcome.Acquired((await GetAsync(c, t, runId, cancellationToken))!, token);
        }, cancellationToken);

    /// <summary>Moves a waiting run to a final state (cancelled, rejected, expired, refused) without ever leasing.</summary>
    public Task<bool> CloseAwaitingAsync(long runId, RunStatus status, string result, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "UPDATE runs SET status = @s, result = @r, ended_at = @now WHERE id = @id AND status IN ('awaiting-confirmation', 'awaiting-approval')",
            t, cancellationToken, ("@s", status.ToWire()), ("@r", result), ("@now", Now()), ("@id", runId)) == 1, cancellationToken);

    /// <summary>Records who approved a run waiting for approval, before it is started.</summary>
    public Task SetApproverAsync(long runId, string approverName, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE runs SET approved_by = @name WHERE id = @id AND status = 'awaiting-approval'",
            t, cancellationToken, ("@name", approverName), ("@id", runId)), cancellationToken);

    public Task SetAwaitingApprovalAsync(long runId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE runs SET status = 'awaiting-approval' WHERE id = @id AND status = 'awaiting-confirmation'",
            t, cancellationToken, ("@id", runId)), cancellationToken);

    /// <summary>Saves progress; false when the lease (and so the right to write) was lost.</summary>
    public Task<bool> SaveProgressAsync(long runId, long token, RunStatus status, IReadOnlyList<RunStep> steps, IReadOnlyList<string> outputTail, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            """
            UPDATE runs SET status = @s, steps = @steps, output_tail = @tail, started_at = coalesce(started_at, @now)
            WHERE id = @id AND fencing_token = @token AND EXISTS (SELECT 1 FROM leases WHERE environment = runs.environment AND token = @token)
            """, t, cancellationToken,
            ("@s", status.ToWire()), ("@steps", JsonSerializer.Serialize(steps)), ("@tail", JsonSerializer.Serialize(outputTail)),
            ("@now", Now()), ("@id", runId), ("@token", token)) == 1, cancellationToken);

    /// <summary>
    /// Records how a run ended and releases its lease, in one transaction. A run that recovery already closed (its
    /// replica was held dead) stays as recovery left it: a replica that comes back from a long pause must not overwrite it.
    /// </summary>
    public Task<bool> FinishAsync(long runId, long token, RunStatus status, string result, IReadOnlyList<RunStep> steps, IReadOnlyList<string> outputTail, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var updated = await c.ExecuteAsync(
                """
                UPDATE runs SET status = @s, result = @r, steps = @steps, output_tail = @tail, ended_at = @now
                WHERE id = @id AND fencing_token = @token AND status IN ('pending', 'running')
                """, t, cancellationToken,
                ("@s", status.ToWire()), ("@r", result), ("@steps", JsonSerializer.Serialize(steps)), ("@tail", JsonSerializer.Serialize(outputTail)),
                ("@now", Now()), ("@id", runId), ("@token", token));
            await c.ExecuteAsync("DELETE FROM leases WHERE run_id = @id AND token = @token", t, cancellationToken, ("@id", runId), ("@token", token));
            return updated == 1;
        }, cancellationToken);

    /// <summary>
    /// Marks a run left in flight by a replica that died as interrupted, with its steps as recovery found them, and
    /// releases its lease; <paramref name="starting"/> counts this replica's own name as left too. False when the run
    /// is no longer left (it ended, or another replica recovered it first): then nothing changed.
    /// </summary>
    public Task<bool> InterruptLeftAsync(long runId, string result, IReadOnlyList<RunStep> steps, bool starting, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = time.GetUtcNow();
            var interrupted = await c.ExecuteAsync(
                $"UPDATE runs SET status = 'interrupted', result = @r, steps = @steps, ended_at = @now WHERE id = @id AND status IN ('pending', 'running') AND {HolderIsLeft}",
                t, cancellationToken, ("@r", result), ("@steps", JsonSerializer.Serialize(steps)), ("@now", now.ToUnixTimeMilliseconds()), ("@id", runId),
                ("@mine", starting ? replica.Name : ""), ("@me", replica.Name), ("@deadBefore", replica.DeadBefore(now))) == 1;
            if (interrupted)
            {
                await c.ExecuteAsync("DELETE FROM leases WHERE run_id = @id", t, cancellationToken, ("@id", runId));
            }

            return interrupted;
        }, cancellationToken);

    /// <summary>Runs in flight whose replica is dead (at start, or this replica's own name); oldest first.</summary>
    public Task<List<RunRecord>> ListLeftAsync(bool starting, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return database.ReadAsync(c => c.QueryAsync($"SELECT {RunColumns} FROM runs WHERE status IN ('pending', 'running') AND {HolderIsLeft} ORDER BY id",
            null, MapRun, cancellationToken, ("@mine", starting ? replica.Name : ""), ("@me", replica.Name), ("@deadBefore", replica.DeadBefore(now))), cancellationToken);
    }

    public Task<bool> RenewLeaseAsync(string environment, long token, TimeSpan duration, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync("UPDATE leases SET expires_at = @e WHERE environment = @env AND token = @token",
            t, cancellationToken, ("@e", Now() + (long)duration.TotalMilliseconds), ("@env", environment), ("@token", token)) == 1, cancellationToken);

    public Task<RunRecord?> GetAsync(long runId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => GetAsync(c, null, runId, cancellationToken), cancellationToken);

    /// <summary>Newest first.</summary>
    // One statement per case: with "@env IS NULL OR environment = @env" SQLite did not use the environment index, and
    // an environment's last run was found by reading every later run of the others.
    public Task<List<RunRecord>> ListAsync(string? environment, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(c => ListAsync(c, null, environment, limit, cancellationToken), cancellationToken);

    /// <summary>As <see cref="ListAsync(string?, int, CancellationToken)"/>, in the caller's transaction.</summary>
    public static Task<List<RunRecord>> ListAsync(DbConnection c, DbTransaction? t, string? environment, int limit, CancellationToken cancellationToken) =>
        environment is null
            ? c.QueryAsync($"SELECT {RunColumns} FROM runs ORDER BY id DESC LIMIT @limit", t, MapRun, cancellationToken, ("@limit", limit))
            : c.QueryAsync($"SELECT {RunColumns} FROM runs WHERE environment = @env ORDER BY id DESC LIMIT @limit",
                t, MapRun, cancellationToken, ("@env", environment), ("@limit", limit));

    public Task<List<RunRecord>> ListInFlightAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryAsync($"SELECT {RunColumns} FROM runs WHERE status IN ('pending', 'running') ORDER BY id",
            null, MapRun, cancellationToken), cancellationToken);

    public Task MarkObservedAsync(long runId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO run_observed (run_id, observed_at) VALUES (@id, @now) ON CONFLICT (run_id) DO NOTHING",
            t, cancellationToken, ("@id", runId), ("@now", Now())), cancellationToken);

    /// <summary>Runs that started, ended at or after <paramref name="since"/>, and whose observers were not all told; oldest first.</summary>
    public Task<List<RunRecord>> ListUnobservedAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryAsync(
            $"SELECT {RunColumns} FROM runs r WHERE started_at IS NOT NULL AND ended_at >= @since AND NOT EXISTS (SELECT 1 FROM run_observed o WHERE o.run_id = r.id) ORDER BY id",
            null, MapRun, cancellationToken, ("@since", since.ToUnixTimeMilliseconds())), cancellationToken);

    /// <summary>The lock someone other than <paramref name="requesterId"/> holds on the environment, or null.</summary>
    public Task<LockInfo?> FindForeignLockAsync(string environment, string requesterId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var held = (await c.QueryAsync(LockStore.SelectActive, null, LockStore.MapLock, cancellationToken, ("@env", environment), ("@now", Now()))).SingleOrDefault();
            return held is not null && !PrincipalId.Same(held.HolderId, requesterId) ? held : null;
        }, cancellationToken);

    public Task<LeaseInfo?> GetLeaseAsync(string environment, CancellationToken cancellationToken) =>
        database.ReadAsync(c => GetLeaseAsync(c, null, environment, cancellationToken), cancellationToken);

    /// <summary>The lease held on <paramref name="environment"/> now, in the caller's transaction.</summary>
    public async Task<LeaseInfo?> GetLeaseAsync(DbConnection c, DbTransaction? t, string environment, CancellationToken cancellationToken) =>
        (await c.QueryAsync(SelectActiveLease, t, MapLease, cancellationToken, ("@env", environment), ("@now", Now()))).SingleOrDefault();

    private async Task<LeaseOutcome?> BlockerAsync(DbConnection c, DbTransaction t, string environment, string requesterId, CancellationToken cancellationToken)
    {
        var lease = await GetLeaseAsync(c, t, environment, cancellationToken);
        if (lease is not null)
        {
            return new LeaseOutcome.Busy(lease);
        }

        var held = (await c.QueryAsync(LockStore.SelectActive, t, LockStore.MapLock, cancellationToken, ("@env", environment), ("@now", Now()))).SingleOrDefault();
        return held is not null && !PrincipalId.Same(held.HolderId, requesterId) ? new LeaseOutcome.Locked(held) : null;
    }

    private static async Task<long> NextTokenAsync(DbConnection c, DbTransaction t, string environment, CancellationToken cancellationToken) =>
        (long)(await c.ScalarAsync(
            "INSERT INTO fencing (environment, last_token) VALUES (@env, 1) ON CONFLICT (environment) DO UPDATE SET last_token = fencing.last_token + 1 RETURNING last_token",
            t, cancellationToken, ("@env", environment)))!;

    private async Task InsertLeaseAsync(DbConnection c, DbTransaction t, string environment, long runId, string holder, string verb, long token, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = Now();
        await c.ExecuteAsync(
            """
            INSERT INTO leases (environment, run_id, holder_name, verb, token, acquired_at, expires_at, replica) VALUES (@env, @run, @holder, @verb, @token, @now, @exp, @replica)
            ON CONFLICT (environment) DO UPDATE SET run_id = @run, holder_name = @holder, verb = @verb, token = @token, acquired_at = @now, expires_at = @exp, replica = @replica
            """, t, cancellationToken,
            ("@env", environment), ("@run", runId), ("@holder", holder), ("@verb", verb), ("@token", token), ("@now", now), ("@exp", now + (long)duration.TotalMilliseconds),
            ("@replica", replica.Name));
    }

    private async Task<long> InsertAsync(DbConnection c, DbTransaction t, NewRun run, RunStatus status, long? token, CancellationToken cancellationToken) =>
        (long)(await c.ScalarAsync(
            """
            INSERT INTO runs (environment, verb, arguments, requester_id, requester_name, platform, channel, status, steps, created_at, fencing_token, replica)
            VALUES (@env, @verb, @args, @rid, @rname, @platform, @channel, @status, @steps, @now, @token, @replica) RETURNING id
            """, t, cancellationToken, ("@replica", replica.Name),
            ("@env", run.Environment), ("@verb", run.Verb), ("@args", JsonSerializer.Serialize(run.Arguments)), ("@rid", PrincipalId.Of(run.RequesterId)), ("@rname", run.RequesterName),
            ("@platform", run.Destination.Platform), ("@channel", run.Destination.Channel), ("@status", status.ToWire()),
            ("@steps", JsonSerializer.Serialize(run.Steps)), ("@now", Now()), ("@token", token)))!;

    private static async Task<RunRecord?> GetAsync(DbConnection c, DbTransaction? t, long runId, CancellationToken cancellationToken) =>
        (await c.QueryAsync($"SELECT {RunColumns} FROM runs WHERE id = @id", t, MapRun, cancellationToken, ("@id", runId))).SingleOrDefault();

    private static RunRecord MapRun(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Environment = r.GetString(1),
        Verb = r.GetString(2),
        Arguments = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(3)) ?? [],
        RequesterId = r.GetString(4),
        RequesterName = r.GetString(5),
        Destination = new ChatDestination(r.GetString(6), r.GetString(7)),
        Status = RunStatusExtensions.FromWire(r.GetString(8)),
        Steps = JsonSerializer.Deserialize<List<RunStep>>(r.GetString(9)) ?? [],
        CreatedAt = r.GetTimestamp(10),
        StartedAt = r.GetNullableTimestamp(11),
        EndedAt = r.GetNullableTimestamp(12),
        FencingToken = r.IsDBNull(13) ? null : r.GetInt64(13),
        Result = r.GetNullableString(14),
        OutputTail = JsonSerializer.Deserialize<List<string>>(r.GetString(15)) ?? [],
        ApprovedBy = r.GetNullableString(16),
        Replica = r.GetNullableString(17),
    };

    private static LeaseInfo MapLease(DbDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetTimestamp(5), r.GetTimestamp(6));

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>What a new run starts with.</summary>
internal sealed record NewRun(
    string Environment,
    string Verb,
    IReadOnlyDictionary<string, string> Arguments,
    string RequesterId,
    string RequesterName,
    ChatDestination Destination,
    IReadOnlyList<RunStep> Steps);
