using System.Data.Common;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// The one owner of the outbox tables (<c>chat_outbox</c>, <c>chat_outbox_edits</c>). This part is the queue's side:
/// claim, confirm, retry, fail, merge, prune; lanes are destinations. The writing side is in <c>OutboxStore.Enqueue.cs</c>.
/// </summary>
internal sealed partial class OutboxStore(StateDatabase database, TimeProvider time, ReplicaIdentity replica) : IQueueStore<ChatDestination, OutboxWork>
{
    // The leading status term matches the partial indexes on live rows (OutboxSchema), so finding due work
    // reads only what waits, never the days of sent history the tables keep.
    private const string DuePost = "p.status IN ('pending', 'claimed') AND ((p.status = 'pending' AND p.due_at <= @now) OR (p.status = 'claimed' AND p.lease_until <= @now))";
    private const string DueEdit = "e.status IN ('pending', 'claimed') AND ((e.status = 'pending' AND e.due_at <= @now) OR (e.status = 'claimed' AND e.lease_until <= @now))";

    public async Task<IReadOnlyList<ChatDestination>> DueLanesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.QueryAsync(
            $"""
            SELECT platform, channel FROM chat_outbox p WHERE {DuePost}
            UNION SELECT platform, channel FROM chat_outbox_edits e WHERE {DueEdit}
            """,
            null, r => new ChatDestination(r.GetString(0), r.GetString(1)), cancellationToken, ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);

    /// <summary>The earliest time a row becomes due or a claim expires, after <paramref name="now"/>.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var value = await database.ReadAsync(c => c.ScalarAsync(
            """
            SELECT MIN(t) FROM (
                SELECT CASE status WHEN 'pending' THEN due_at ELSE lease_until END AS t FROM chat_outbox WHERE status IN ('pending', 'claimed')
                UNION ALL
                SELECT CASE status WHEN 'pending' THEN due_at ELSE lease_until END FROM chat_outbox_edits WHERE status IN ('pending', 'claimed')) AS due
            WHERE t > @now
            """,
            null, cancellationToken, ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);
        return value is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Claims the oldest due post or edit for one destination, or returns null when none is ready.</summary>
    public async Task<OutboxWork?> ClaimNextAsync(ChatDestination destination, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        await ClaimAsync(destination, 1, knownDue: false, now, lease, cancellationToken) is [var work] ? work : null;

    /// <summary>
    /// Claims up to <paramref name="max"/> of one destination's due posts and edits, in the order they are to go out, in
    /// one commit. A post or edit that waits for another (a reply for its parent, an edit for its post) is not due until
    /// that one is out, so it is never claimed together with it.
    /// </summary>
    public async Task<IReadOnlyList<OutboxWork>> ClaimAsync(ChatDestination destination, int max, bool knownDue, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        // Looked for first without the write lock: once a destination's last row is sent, the worker asks once more and
        // finds nothing, and that question costs no write transaction. A destination just listed as due is not asked.
        var anyDue = knownDue ? 1 : await database.ReadAsync(c => c.ScalarAsync(
            $"""
            SELECT 1 FROM chat_outbox p WHERE p.platform = @platform AND p.channel = @channel AND {DuePost}
            UNION ALL SELECT 1 FROM chat_outbox_edits e WHERE e.platform = @platform AND e.channel = @channel AND {DueEdit}
            LIMIT 1
            """, null, cancellationToken, Parameters(destination, now)), cancellationToken);
        if (anyDue is null)
        {
            return [];
        }

        // On PostgreSQL the claim holds no write lock: each candidate is locked as it is read (and so read at its newest
        // content), one another replica is claiming is passed over, and the update below checks again that it is due.
        return await database.ClaimAsync<IReadOnlyList<OutboxWork>>(async (c, t) =>
        {
            (string, object?)[] parameters = [.. Parameters(destination, now), ("@max", max)];
            var posts = await NextPostsAsync(c, t, destination, parameters, database.LockSkipping("p"), cancellationToken);
            var edits = await NextEditsAsync(c, t, destination, parameters, database.LockSkipping("e"), cancellationToken);
            var claimed = new List<OutboxWork>(max);
            // Whichever waited longer goes first; on a tie the post, since an edit may be waiting for it.
            foreach (var candidate in posts.Concat(edits).OrderBy(w => w.QueuedAt).ThenBy(w => w.Kind == OutboxWorkKind.Edit).Take(max))
            {
                var work = candidate with { ClaimToken = ClaimTokenFor(), LeaseUntil = now + lease };
                var versionColumn = work.Kind == OutboxWorkKind.Edit ? ", claimed_version = version" : "";
                var alias = work.Kind == OutboxWorkKind.Edit ? "e" : "p";
                var updated = await c.ExecuteAsync(
                    $"UPDATE {Table(work)} AS {alias} SET status = 'claimed', claim_token = @token, lease_until = @lease, attempted_at = @now, attempts = attempts + 1{versionColumn} WHERE {KeyColumn(work)} = @key AND {(alias == "e" ? DueEdit : DuePost)}",
                    t, cancellationToken, ("@token", work.ClaimToken), ("@lease", (now + lease).ToUnixTimeMilliseconds()),
                    ("@now", now.ToUnixTimeMilliseconds()), ("@key", work.Key));
                if (updated == 1)
                {
                    claimed.Add(work);
                }
            }

            return claimed;
        }, cancellationToken);
    }

    /// <summary>
    /// Gives back claimed rows that were never sent (a pause came first, or their claim would not have lasted the send):
    /// due at <paramref name="dueAt"/>, the claim's attempt uncounted and its start forgotten, as if never claimed.
    /// </summary>
    public Task ReleaseAsync(IReadOnlyList<OutboxWork> works, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        database.WriteGroupedAsync(async (c, t) =>
        {
            foreach (var work in works)
            {
                await c.ExecuteAsync(
                    $"UPDATE {Table(work)} SET status = 'pending', due_at = @due, attempts = attempts - 1, attempted_at = @previous, claim_token = NULL, lease_until = NULL WHERE {KeyColumn(work)} = @key AND claim_token = @token",
                    t, cancellationToken, ("@due", dueAt.ToUnixTimeMilliseconds()), ("@previous", work.PreviousAttemptAt?.ToUnixTimeMilliseconds()),
                    ("@key", work.Key), ("@token", work.ClaimToken));
            }

            return works.Count;
        }, cancellationToken);

    /// <summary>
    /// Makes claims left by a replica that is not alive due now: it died mid-send. At start that includes claims under
    /// this replica's own name (a process with its name that stopped); a live replica's claims are never touched. A
    /// claim token starts with its replica's name (<see cref="ClaimTokenFor"/>), which is how its claimant is known. The
    /// row keeps its status and loses nothing; the next claim takes a new token, so a late answer from the dead claimant
    /// could not overwrite it anyway. Returns how many rows were released.
    /// </summary>
    public Task<LeftClaims<OutboxWork>> ReleaseLeftClaimsAsync(DateTimeOffset now, bool starting, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            (string, object?)[] parameters = [("@now", now.ToUnixTimeMilliseconds()), ("@mine", starting ? replica.Name + "/%" : ""), ("@own", replica.Name + "/%"),
                ("@deadBefore", replica.DeadBefore(now))];
            // While running, this replica's own claims are never left, even when its heartbeat is late.
            // The leading status term is the partial indexes' own (OutboxSchema): without it the look read every sent row.
            const string Left = "status IN ('pending', 'claimed') AND status = 'claimed' AND lease_until > @now AND "
                + "(claim_token LIKE @mine OR (claim_token NOT LIKE @own AND NOT EXISTS (SELECT 1 FROM replicas r WHERE r.beat_at > @deadBefore AND claim_token LIKE r.name || '/%')))";
            var released = await c.ExecuteAsync($"UPDATE chat_outbox SET lease_until = @now WHERE {Left}", t, cancellationToken, parameters)
                + await c.ExecuteAsync($"UPDATE chat_outbox_edits SET lease_until = @now WHERE {Left}", t, cancellationToken, parameters);
            return new LeftClaims<OutboxWork>(released, []);
        }, cancellationToken);

    /// <summary>A fresh claim token, led by the claiming replica's name so its claims can be found when it dies.</summary>
    private string ClaimTokenFor() => $"{replica.Name}/{Guid.NewGuid():N}";

    /// <summary>Records a delivered post or edit. False when the claim had already passed to someone else.</summary>
    public Task<bool> CompleteAsync(OutboxWork work, string? messageId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteGroupedAsync(async (c, t) =>
        {
            if (work.Kind != OutboxWorkKind.Edit)
            {
                return await c.ExecuteAsync(
                    "UPDATE chat_outbox SET status = 'sent', message_id = @id, sent_at = @now, claim_token = NULL, lease_until = NULL, error = NULL WHERE key = @key AND claim_token = @token",
                    t, cancellationToken, ("@id", messageId), ("@now", now.ToUnixTimeMilliseconds()), ("@key", work.Key), ("@token", work.ClaimToken)) > 0;
            }

            // Newer content enqueued while this version was on its way stays pending and goes next.
            var done = await c.ExecuteAsync(
                """
                UPDATE chat_outbox_edits SET
                    status = CASE WHEN version = @version THEN 'sent' ELSE 'pending' END,
                    attempts = CASE WHEN version = @version THEN attempts ELSE 0 END,
                    claim_token = NULL, lease_until = NULL, error = NULL, updated_at = @now
                WHERE target_key = @key AND claim_token = @token
                """,
                t, cancellationToken, ("@version", work.Version), ("@now", now.ToUnixTimeMilliseconds()), ("@key", work.Key), ("@token", work.ClaimToken)) > 0;
            if (done && messageId is not null)
            {
                // The edited post had only gone out inside a digest; this message now stands for it.
                await c.ExecuteAsync("UPDATE chat_outbox SET message_id = @id WHERE key = @key AND message_id IS NULL",
                    t, cancellationToken, ("@id", messageId), ("@key", work.Key));
            }

            return done;
        }, cancellationToken);

    /// <summary>Puts the row back for a later attempt; a rate-limit wait does not count as an attempt.</summary>
    public Task RetryLaterAsync(OutboxWork work, DateTimeOffset dueAt, bool countAttempt, string error, CancellationToken cancellationToken) =>
        database.WriteGroupedAsync(
            (c, t) => c.ExecuteAsync(
                $"UPDATE {Table(work)} SET status = 'pending', due_at = @due, attempts = attempts - @uncount, error = @error, claim_token = NULL, lease_until = NULL WHERE {KeyColumn(work)} = @key AND claim_token = @token",
                t, cancellationToken, ("@due", dueAt.ToUnixTimeMilliseconds()), ("@uncount", countAttempt ? 0 : 1), ("@error", error),
                ("@key", work.Key), ("@token", work.ClaimToken)),
            cancellationToken);

    public Task FailAsync(OutboxWork work, string error, CancellationToken cancellationToken) =>
        database.WriteGroupedAsync(
            (c, t) => c.ExecuteAsync(
                $"UPDATE {Table(work)} SET status = 'failed', error = @error, claim_token = NULL, lease_until = NULL WHERE {KeyColumn(work)} = @key AND claim_token = @token",
                t, cancellationToken, ("@error", error), ("@key", work.Key), ("@token", work.ClaimToken)),
            cancellationToken);

    /// <summary>
    /// Merges waiting mergeable posts (never one already attempted: it may be on the platform, and would
    /// then show on its own and in the digest) of one destination into its open digest, or a new one, when more than
    /// <see cref="ChatDeliveryOptions.DigestThreshold"/> wait or a digest is already waiting. Returns the digest key and how many
    /// posts were added, or null when nothing was merged.
    /// </summary>
    public Task<(string Key, int Added)?> DigestAsync(ChatDestination destination, DateTimeOffset now, ChatDeliveryOptions options, CancellationToken cancellationToken) =>
        database.WriteAsync<(string, int)?>(async (c, t) =>
        {
            var parameters = Parameters(destination, now);
            // Claims hold no write lock on PostgreSQL: the open digest and the posts merged are locked here, and any a
            // claim holds at this moment are passed over (a digest being sent takes no more members; a post being sent
            // stays out of the digest), so nothing is both sent alone and merged, nor merged into a digest already sent.
            var open = (string?)await c.ScalarAsync(
                $"SELECT key FROM chat_outbox d WHERE platform = @platform AND channel = @channel AND is_digest = 1 AND status = 'pending' ORDER BY seq DESC LIMIT 1 {database.LockSkipping("d")}",
                t, cancellationToken, parameters);
            var members = open is null ? 0 : (long)(await c.ScalarAsync("SELECT COUNT(*) FROM chat_outbox WHERE digested_into = @key", t, cancellationToken, ("@key", open)))!;
            var room = open is null || members >= options.MaxDigestItems ? options.MaxDigestItems : options.MaxDigestItems - (int)members;
            var waiting = await c.QueryAsync(
                $"""
                SELECT seq, key, queued_at FROM chat_outbox w
                WHERE platform = @platform AND channel = @channel AND status = 'pending' AND digest_noun IS NOT NULL AND thread_of_key IS NULL AND is_digest = 0
                  AND attempted_at IS NULL
                ORDER BY queued_at, seq LIMIT @room {database.LockSkipping("w")}
                """,
                t, r => (Seq: r.GetInt64(0), Key: r.GetString(1), QueuedAt: r.GetInt64(2)), cancellationToken, [.. parameters, ("@room", room)]);
            var joining = open is not null && members < options.MaxDigestItems;
            if (waiting.Count == 0 || (!joining && waiting.Count <= options.DigestThreshold))
            {
                return null;
            }

            var digestKey = joining ? open! : $"digest:{destination}:{waiting[0].Seq}";
            foreach (var row in waiting)
            {
                await c.ExecuteAsync("UPDATE chat_outbox SET status = 'digested', digested_into = @digest WHERE key = @key AND status = 'pending' AND attempted_at IS NULL",
                    t, cancellationToken, ("@digest", digestKey), ("@key", row.Key));
            }

            var items = await c.QueryAsync(
                "SELECT digest_noun, message FROM chat_outbox WHERE digested_into = @digest ORDER BY queued_at, seq",
                t, r => new DigestItem(r.GetString(0), OutboxMessageSerializer.Deserialize(r.GetString(1))), cancellationToken, ("@digest", digestKey));
            var message = OutboxMessageSerializer.Serialize(OutboxDigest.Compose(items, options.DigestListedItems, options.DigestLineLength));
            await c.ExecuteAsync(
                """
                INSERT INTO chat_outbox (key, platform, channel, message, is_digest, status, attempts, queued_at, due_at)
                VALUES (@digest, @platform, @channel, @message, 1, 'pending', 0, @queued, @now)
                ON CONFLICT(key) DO UPDATE SET message = excluded.message
                """,
                t, cancellationToken, [.. parameters, ("@digest", digestKey), ("@message", message), ("@queued", waiting[0].QueuedAt)]);
            return (digestKey, waiting.Count);
        }, cancellationToken);

    /// <summary>Deletes finished rows older than <paramref name="cutoff"/>; their keys stop refusing duplicates.</summary>
    public Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var ms = cutoff.ToUnixTimeMilliseconds();
            var posts = await c.ExecuteAsync(
                """
                DELETE FROM chat_outbox WHERE status IN ('sent', 'failed', 'digested') AND queued_at < @cutoff
                    AND NOT EXISTS (SELECT 1 FROM chat_outbox_edits e WHERE e.target_key = chat_outbox.key AND e.status IN ('pending', 'claimed'))
                """,
                t, cancellationToken, ("@cutoff", ms));
            var edits = await c.ExecuteAsync("DELETE FROM chat_outbox_edits WHERE status IN ('sent', 'failed') AND updated_at < @cutoff", t, cancellationToken, ("@cutoff", ms));
            return posts + edits;
        }, cancellationToken);

    private static async Task<List<OutboxWork>> NextPostsAsync(DbConnection c, DbTransaction t, ChatDestination destination, (string, object?)[] parameters, string lockRows,
        CancellationToken cancellationToken)
    {
        // A reply waits for its parent; a parent that went out only inside a digest is replied to under the digest,
        // and one that failed for good gets its replies at the top level rather than never.
        return await c.QueryAsync(
            $"""
            SELECT p.key, p.message, p.is_digest, p.attempts, p.status, p.attempted_at, COALESCE(par.message_id, dg.message_id), p.queued_at
            FROM chat_outbox p
            LEFT JOIN chat_outbox par ON par.key = p.thread_of_key
            LEFT JOIN chat_outbox dg ON dg.key = par.digested_into
            WHERE p.platform = @platform AND p.channel = @channel AND {DuePost}
              AND (p.thread_of_key IS NULL OR par.message_id IS NOT NULL OR dg.message_id IS NOT NULL OR par.status = 'failed' OR dg.status = 'failed')
            ORDER BY p.queued_at, p.is_digest DESC, p.seq
            LIMIT @max {lockRows}
            """,
            t, r => ReadWork(r, r.GetInt64(2) == 1 ? OutboxWorkKind.Digest : OutboxWorkKind.Post, destination, queuedAtColumn: 7) with
            {
                ThreadOf = r.GetNullableString(6),
            }, cancellationToken, parameters);
    }

    private static async Task<List<OutboxWork>> NextEditsAsync(DbConnection c, DbTransaction t, ChatDestination destination, (string, object?)[] parameters, string lockRows,
        CancellationToken cancellationToken)
    {
        // An edit never overtakes its post: it waits until the post (or the digest holding it) is out.
        return await c.QueryAsync(
            $"""
            SELECT e.target_key, e.message, e.version, e.attempts, e.status, e.attempted_at, p.message_id, dg.message_id, p.status, e.queued_at
            FROM chat_outbox_edits e
            JOIN chat_outbox p ON p.key = e.target_key
            LEFT JOIN chat_outbox dg ON dg.key = p.digested_into
            WHERE e.platform = @platform AND e.channel = @channel AND {DueEdit}
              AND (p.message_id IS NOT NULL OR dg.message_id IS NOT NULL OR p.status = 'failed' OR dg.status = 'failed')
            ORDER BY e.queued_at
            LIMIT @max {lockRows}
            """,
            t, r => ReadWork(r, OutboxWorkKind.Edit, destination, queuedAtColumn: 9) with
            {
                Version = r.GetInt64(2),
                TargetMessageId = r.GetNullableString(6),
                ThreadOf = r.GetNullableString(7),
                TargetFailed = r.GetString(8) == "failed",
            }, cancellationToken, parameters);
    }

    /// <summary>
    /// What both claim queries share: columns 0 key, 1 message, 3 attempts, 4 status and 5 attempted_at,
    /// and the queue time at <paramref name="queuedAtColumn"/>. The claim token is set by the claim.
    /// </summary>
    private static OutboxWork ReadWork(DbDataReader r, OutboxWorkKind kind, ChatDestination destination, int queuedAtColumn) =>
        new(kind, r.GetString(0), destination, OutboxMessageSerializer.Deserialize(r.GetString(1)), "", (int)r.GetInt64(3) + 1,
            r.GetString(4) == "claimed" ? r.GetNullableTimestamp(5) : null)
        {
            QueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(queuedAtColumn)),
            PreviousAttemptAt = r.GetNullableTimestamp(5),
        };

    private static (string, object?)[] Parameters(ChatDestination destination, DateTimeOffset now) =>
        [("@platform", destination.Platform), ("@channel", destination.Channel), ("@now", now.ToUnixTimeMilliseconds())];

    private static string Table(OutboxWork work) => work.Kind == OutboxWorkKind.Edit ? "chat_outbox_edits" : "chat_outbox";

    private static string KeyColumn(OutboxWork work) => work.Kind == OutboxWorkKind.Edit ? "target_key" : "key";
}
