using System.Data.Common;
using System.Text.Json;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// The durable inbox: a delivery is written here before the platform is answered, so a crash
/// cannot lose it, and it moves <c>received → started → done</c>. A delivery found
/// <c>started</c> at start-up was cut short by a crash; it becomes <c>interrupted</c> and is never
/// run again, because running a half-done destroy twice is worse than asking the person. The one owner of the
/// <c>inbox</c> table and of the count of its open deliveries; as a queue, its lanes are a person in a channel and a claim is the move to <c>started</c>.
/// A started delivery records the replica that runs it: only a dead replica's are closed as interrupted, and a lane
/// with a started delivery waits, so one person's messages run in order whichever replica takes them.
/// </summary>
public sealed class InboxStore(StateDatabase database, TimeProvider time, ReplicaIdentity replica) : IQueueStore<string, InboxItem>
{
    /// <summary>Notified when a delivery is kept, so every replica's inbox worker looks (on PostgreSQL; on SQLite they poll).</summary>
    public const string NotifyChannel = "chatops_inbox";

    private const string Columns = "seq, delivery_id, lane, kind, payload, summary";
    private const string RequestKind = "request";
    private const string ActionKind = "action";

    /// <summary>The deliveries that count against the capacity: waiting and running. Their number is kept in <c>inbox_open</c>.</summary>
    internal const string Open = "state IN ('received', 'started')";

    /// <summary>
    /// Whatever of a sender's must come before an answer given at intake: the delivery seen before, one of theirs waiting
    /// or running, or one that ran and finished since the answer was computed (<c>ix_inbox_lane_finished</c>).
    /// </summary>
    internal const string ComesBeforeAnswer = $"""
        SELECT 1 FROM inbox WHERE delivery_id = @id
        UNION ALL SELECT 1 FROM inbox WHERE lane = @lane AND {Open}
        UNION ALL SELECT 1 FROM inbox WHERE lane = @lane AND finished_at >= @since AND started_at IS NOT NULL
        LIMIT 1
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<InboxAdmission> ReceiveAsync(ChatRequest request, int capacity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ReceiveAsync(request.DeliveryId, InboxItem.LaneOf(request.Destination, request.User), RequestKind, JsonSerializer.Serialize(request, Json),
            request.Text, capacity, cancellationToken);
    }

    /// <summary>
    /// Keeps <paramref name="request"/> inside the caller's transaction, so it and whatever the caller writes with
    /// it (the web chat's copy of the message) are committed together or not at all.
    /// </summary>
    public Task<InboxAdmission> ReceiveAsync(ChatRequest request, int capacity, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(connection);
        return ReceiveAsync(connection, transaction, request.DeliveryId, InboxItem.LaneOf(request.Destination, request.User), RequestKind, JsonSerializer.Serialize(request, Json),
            request.Text, capacity, cancellationToken);
    }

    /// <summary>
    /// Keeps <paramref name="request"/>, answered with what was true at <paramref name="answeredSince"/>, inside the
    /// caller's transaction as done, when its delivery is new and nothing of its lane waits or runs (that must come
    /// first) or ran and finished since (its effects may be missing from the answer). On a database server, since is
    /// widened by <see cref="ReplicaIdentity.ClockTolerance"/>: a replica on another machine may have finished it, by a
    /// clock of its own. Returns false, writing nothing, otherwise. It takes no room in the inbox: it never waits, and it
    /// is never started.
    /// </summary>
    public async Task<bool> KeepAnsweredAsync(ChatRequest request, DateTimeOffset answeredSince, DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(connection);
        var lane = InboxItem.LaneOf(request.Destination, request.User);
        // Replicas on one SQLite file run on this machine, and share its clock.
        var since = answeredSince - (database.ServerClockSql is null ? TimeSpan.Zero : replica.ClockTolerance);
        if (await connection.ScalarAsync(ComesBeforeAnswer, transaction, cancellationToken,
                ("@id", request.DeliveryId), ("@lane", lane), ("@since", since.ToUnixTimeMilliseconds())) is not null)
        {
            return false;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(
            """
            INSERT INTO inbox (delivery_id, lane, kind, payload, summary, state, received_at, finished_at, replica)
            VALUES (@id, @lane, @kind, @payload, @summary, 'done', @now, @now, @replica)
            """, transaction, cancellationToken, ("@id", request.DeliveryId), ("@lane", lane), ("@kind", RequestKind),
            ("@payload", JsonSerializer.Serialize(request, Json)), ("@summary", request.Text), ("@now", now), ("@replica", replica.Name));
        return true;
    }

    public Task<InboxAdmission> ReceiveAsync(ChatAction action, int capacity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        return ReceiveAsync(action.DeliveryId, InboxItem.LaneOf(action.Destination, action.User), ActionKind, JsonSerializer.Serialize(action, Json),
            $"the button {action.ActionId}", capacity, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> DueLanesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.QueryAsync(
            "SELECT lane FROM inbox WHERE state = 'received' GROUP BY lane ORDER BY MIN(seq)", null, r => r.GetString(0), cancellationToken), cancellationToken);

    /// <summary>
    /// Marks the oldest waiting delivery of <paramref name="lane"/> as started and returns it. A start is never undone
    /// by time: the lease is ignored, since a delivery must not run twice.
    /// </summary>
    public Task<InboxItem?> ClaimNextAsync(string lane, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        ClaimHeadAsync(lane, knownDue: false, now, cancellationToken);

    /// <summary>The lane's head, one at a time whatever <paramref name="max"/> asks: a delivery must never run twice.</summary>
    public async Task<IReadOnlyList<InboxItem>> ClaimAsync(string lane, int max, bool knownDue, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        await ClaimHeadAsync(lane, knownDue, now, cancellationToken) is { } item ? [item] : [];

    private async Task<InboxItem?> ClaimHeadAsync(string lane, bool knownDue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Looked for first without the write lock: after the last delivery of a lane, the worker asks once more and
        // finds nothing, and that question costs no write transaction. A lane just listed as due is not asked.
        if (!knownDue && await database.ReadAsync(c => c.ScalarAsync(HeadOfLane("1"), null, cancellationToken, ("@lane", lane), ("@me", replica.Name)), cancellationToken) is null)
        {
            return null;
        }

        return await database.ClaimAsync(async (c, t) =>
        {
            var head = await c.QueryAsync(LockedHeadOfLane(), t, Map, cancellationToken, ("@lane", lane), ("@me", replica.Name));
            if (head.Count == 0)
            {
                return null;
            }

            // Conditional, as every writer of a claimed row is: the claim holds no write lock, only the row's.
            var started = await c.ExecuteAsync(
                "UPDATE inbox SET state = 'started', started_at = @now, replica = @replica WHERE seq = @seq AND state = 'received'", t, cancellationToken,
                ("@now", now.ToUnixTimeMilliseconds()), ("@replica", replica.Name), ("@seq", head[0].Seq));
            return started == 1 ? head[0] : null;
        }, cancellationToken);
    }

    // A lane whose delivery another replica is running waits for it, as it would in one process. This replica's own
    // started rows never hold a lane: its worker serves a lane one delivery at a time, and one whose finish could
    // not be recorded must not block the person's next message.
    private static string HeadOfLane(string columns) =>
        $"""
        SELECT {columns} FROM inbox WHERE state = 'received' AND lane = @lane
          AND NOT EXISTS (SELECT 1 FROM inbox s WHERE s.lane = @lane AND s.state = 'started' AND s.replica <> @me)
        ORDER BY seq LIMIT 1
        """;

    // The claim's form: the lane's head and nothing else, locked. A head another replica is claiming at this moment is
    // passed over (SKIP LOCKED on PostgreSQL), and then nothing of the lane is taken, since a later delivery would overtake
    // it; one claimed and committed meanwhile is read again at its newest version and fails state = 'received'.
    // The other writers need no write lock from a claim: a receive counts 'received' and 'started' alike against the
    // capacity, so a claim moving a row between them changes no count; done and interrupted marks, and a dead replica's
    // deliveries closed, touch only 'started' rows and say so in their WHERE, and a claim only ever locks 'received' ones.
    private string LockedHeadOfLane() =>
        $"""
        SELECT {Columns} FROM inbox
        WHERE seq = (SELECT MIN(h.seq) FROM inbox h WHERE h.state = 'received' AND h.lane = @lane) AND state = 'received'
          AND NOT EXISTS (SELECT 1 FROM inbox s WHERE s.lane = @lane AND s.state = 'started' AND s.replica <> @me)
        {database.LockSkipping("inbox")}
        """;

    /// <summary>Nothing in the inbox waits for a time: a delivery is due when it arrives, and arriving wakes the worker.</summary>
    public Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);

    /// <summary>
    /// Deliveries a dead replica had started are never run again: all of them go back to be closed. At start, those
    /// left under this replica's own name too (a process with its name that stopped); never a live replica's.
    /// </summary>
    public async Task<LeftClaims<InboxItem>> ReleaseLeftClaimsAsync(DateTimeOffset now, bool starting, CancellationToken cancellationToken) =>
        new(0, await database.ReadAsync(c => c.QueryAsync(
            $"""
            SELECT {Columns} FROM inbox WHERE state = 'started'
              AND (replica IS NULL OR replica = @mine OR (replica <> @me AND replica NOT IN ({ReplicaStore.LiveNames})))
            ORDER BY seq
            """, null, Map, cancellationToken,
            ("@mine", starting ? replica.Name : ""), ("@me", replica.Name), ("@deadBefore", replica.DeadBefore(now))), cancellationToken));

    /// <summary>Its handler is done with it, whatever the outcome.</summary>
    public Task FinishAsync(long seq, CancellationToken cancellationToken) =>
        SetStateAsync(seq, "done", cancellationToken);

    /// <summary>Deliveries whose handling has started and not finished, whichever replica runs them.</summary>
    public Task<List<InboxItem>> ListStartedAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryAsync($"SELECT {Columns} FROM inbox WHERE state = 'started' ORDER BY seq", null, Map, cancellationToken), cancellationToken);

    /// <summary>Closes a delivery cut short by a crash; it will never run again.</summary>
    public Task MarkInterruptedAsync(long seq, CancellationToken cancellationToken) =>
        SetStateAsync(seq, "interrupted", cancellationToken);

    /// <summary>Deliveries waiting for their turn and deliveries being handled, and when the oldest waiting one came.</summary>
    public Task<InboxDepth> DepthAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var states = await c.QueryAsync($"SELECT state, COUNT(*), MIN(received_at) FROM inbox WHERE {Open} GROUP BY state", null,
                r => (State: r.GetString(0), Count: r.GetInt64(1), Oldest: r.GetInt64(2)), cancellationToken);
            var waiting = states.Find(s => s.State == "received");
            return new InboxDepth(
                waiting.Count,
                states.Find(s => s.State == "started").Count,
                waiting.Count > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(waiting.Oldest) : null);
        }, cancellationToken);

    /// <summary>Forgets deliveries finished before <paramref name="cutoff"/>, so their ids stop refusing retries; returns how many.</summary>
    public Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "DELETE FROM inbox WHERE state IN ('done', 'interrupted') AND finished_at < @cutoff", t, cancellationToken,
            ("@cutoff", cutoff.ToUnixTimeMilliseconds())), cancellationToken);

    // Grouped: the deliveries of many concurrent requests share one commit, and each is acknowledged only after it.
    private Task<InboxAdmission> ReceiveAsync(string deliveryId, string lane, string kind, string payload, string summary, int capacity, CancellationToken cancellationToken) =>
        database.WriteGroupedAsync((c, t) => ReceiveAsync(c, t, deliveryId, lane, kind, payload, summary, capacity, cancellationToken), cancellationToken);

    private async Task<InboxAdmission> ReceiveAsync(DbConnection c, DbTransaction t, string deliveryId, string lane, string kind, string payload, string summary, int capacity,
        CancellationToken cancellationToken)
    {
        // A retry of a kept delivery is acknowledged again, even when the inbox is full.
        if (await c.ScalarAsync("SELECT 1 FROM inbox WHERE delivery_id = @id", t, cancellationToken, ("@id", deliveryId)) is not null)
        {
            return InboxAdmission.Duplicate;
        }

        if ((long)(await c.ScalarAsync("SELECT deliveries FROM inbox_open", t, cancellationToken))! >= capacity)
        {
            return InboxAdmission.Full;
        }

        await c.ExecuteAsync(
            """
            INSERT INTO inbox (delivery_id, lane, kind, payload, summary, state, received_at)
            VALUES (@id, @lane, @kind, @payload, @summary, 'received', @now)
            """, t, cancellationToken, ("@id", deliveryId), ("@lane", lane), ("@kind", kind), ("@payload", payload), ("@summary", summary),
            ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        await CountOpenAsync(c, t, +1, cancellationToken);
        await database.NotifyAsync(c, t, NotifyChannel, cancellationToken);
        return InboxAdmission.Accepted;
    }

    // A claim moves a delivery between the two open states and changes no count; only a receive and a close do.
    private Task SetStateAsync(long seq, string state, CancellationToken cancellationToken) =>
        database.WriteGroupedAsync(async (c, t) =>
        {
            if (await c.ExecuteAsync(
                    "UPDATE inbox SET state = @state, finished_at = @now WHERE seq = @seq AND state = 'started'", t, cancellationToken,
                    ("@state", state), ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("@seq", seq)) == 1)
            {
                await CountOpenAsync(c, t, -1, cancellationToken);
            }

            return 0;
        }, cancellationToken);

    /// <summary>Moves the count of open deliveries (<see cref="Open"/>) by <paramref name="change"/>, in the transaction that opened or closed one.</summary>
    private static Task<int> CountOpenAsync(DbConnection c, DbTransaction t, int change, CancellationToken cancellationToken) =>
        c.ExecuteAsync("UPDATE inbox_open SET deliveries = deliveries + @change", t, cancellationToken, ("@change", change));

    private static InboxItem Map(DbDataReader r)
    {
        var payload = r.GetString(4);
        var isRequest = r.GetString(3) == RequestKind;
        try
        {
            return new InboxItem(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(5),
                isRequest ? JsonSerializer.Deserialize<ChatRequest>(payload, Json) : null,
                isRequest ? null : JsonSerializer.Deserialize<ChatAction>(payload, Json));
        }
        catch (JsonException)
        {
            // Unreadable (written by an incompatible version): returned empty so it is closed, not retried forever ahead of the rest.
            return new InboxItem(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(5), null, null);
        }
    }
}
