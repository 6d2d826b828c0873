using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Tests.Chat.Queue;

/// <summary>One item of the test queue; <see cref="Token"/> fences the completion as the outbox's claim token does.</summary>
internal sealed record TestWork(long Seq, string Lane, string Payload, int Attempt, string Token);

/// <summary>
/// A queue store over its own SQLite table, written as the product's stores are: pending rows are due at
/// <c>due_at</c>, claimed rows hold until <c>lease_until</c>. <see cref="AbandonLeftClaims"/> chooses between the two
/// start-up policies (the outbox's "release", the inbox's "abandon").
/// </summary>
internal sealed class TestQueueStore(StateDatabase database) : IQueueStore<string, TestWork>
{
    private const string Due = "((status = 'pending' AND due_at <= @now) OR (status = 'claimed' AND lease_until <= @now))";

    public bool AbandonLeftClaims { get; init; }

    /// <summary>The test queue's table, as a migration, so each engine gets it in its own DDL.</summary>
    internal sealed class Schema : IStateSchema
    {
        public IEnumerable<Migration> Migrations =>
        [
            new(100, "test queue",
            [
                """
                CREATE TABLE test_queue (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, lane TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, lease_until INTEGER NULL, claim_token TEXT NULL, finished_at INTEGER NULL)
                """,
            ]),
        ];
    }

    public Task AddAsync(string lane, string payload, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO test_queue (lane, payload, status, due_at) VALUES (@lane, @payload, 'pending', @now)", t, cancellationToken,
            ("@lane", lane), ("@payload", payload), ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);

    public async Task<IReadOnlyList<string>> DueLanesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.QueryAsync(
            $"SELECT lane FROM test_queue WHERE {Due} GROUP BY lane ORDER BY MIN(seq)", null, r => r.GetString(0), cancellationToken,
            ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);

    public Task<TestWork?> ClaimNextAsync(string lane, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var rows = await c.QueryAsync(
                $"SELECT seq, lane, payload, attempts FROM test_queue WHERE lane = @lane AND {Due} ORDER BY seq LIMIT 1", t,
                r => new TestWork(r.GetInt64(0), r.GetString(1), r.GetString(2), (int)r.GetInt64(3) + 1, Guid.NewGuid().ToString("N")), cancellationToken,
                ("@lane", lane), ("@now", now.ToUnixTimeMilliseconds()));
            if (rows.Count == 0)
            {
                return null;
            }

            await c.ExecuteAsync(
                "UPDATE test_queue SET status = 'claimed', claim_token = @token, lease_until = @lease, attempts = attempts + 1 WHERE seq = @seq", t, cancellationToken,
                ("@token", rows[0].Token), ("@lease", (now + lease).ToUnixTimeMilliseconds()), ("@seq", rows[0].Seq));
            return rows[0];
        }, cancellationToken);

    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ScalarAsync(
            "SELECT MIN(CASE status WHEN 'pending' THEN due_at ELSE lease_until END) FROM test_queue WHERE status IN ('pending', 'claimed') AND CASE status WHEN 'pending' THEN due_at ELSE lease_until END > @now",
            null, cancellationToken, ("@now", now.ToUnixTimeMilliseconds())), cancellationToken) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    // One process owns this store: only the claims found at start were left by a process that stopped.
    public Task<LeftClaims<TestWork>> ReleaseLeftClaimsAsync(DateTimeOffset now, bool starting, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (!starting)
            {
                return new LeftClaims<TestWork>(0, []);
            }

            if (AbandonLeftClaims)
            {
                var left = await c.QueryAsync(
                    "SELECT seq, lane, payload, attempts, claim_token FROM test_queue WHERE status = 'claimed' ORDER BY seq", t,
                    r => new TestWork(r.GetInt64(0), r.GetString(1), r.GetString(2), (int)r.GetInt64(3), r.GetString(4)), cancellationToken);
                return new LeftClaims<TestWork>(0, left);
            }

            var released = await c.ExecuteAsync("UPDATE test_queue SET lease_until = @now WHERE status = 'claimed' AND lease_until > @now", t, cancellationToken,
                ("@now", now.ToUnixTimeMilliseconds()));
            return new LeftClaims<TestWork>(released, []);
        }, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "DELETE FROM test_queue WHERE status IN ('done', 'abandoned') AND finished_at < @cutoff", t, cancellationToken,
            ("@cutoff", cutoff.ToUnixTimeMilliseconds())), cancellationToken);

    public Task FinishAsync(TestWork work, string status, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE test_queue SET status = @status, finished_at = @now, claim_token = NULL, lease_until = NULL WHERE seq = @seq AND claim_token = @token", t, cancellationToken,
            ("@status", status), ("@now", now.ToUnixTimeMilliseconds()), ("@seq", work.Seq), ("@token", work.Token)), cancellationToken);

    public Task RetryLaterAsync(TestWork work, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE test_queue SET status = 'pending', due_at = @due, claim_token = NULL, lease_until = NULL WHERE seq = @seq AND claim_token = @token", t, cancellationToken,
            ("@due", dueAt.ToUnixTimeMilliseconds()), ("@seq", work.Seq), ("@token", work.Token)), cancellationToken);

    public Task<List<(string Payload, string Status, int Attempts)>> RowsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryAsync("SELECT payload, status, attempts FROM test_queue ORDER BY seq", null,
            r => (r.GetString(0), r.GetString(1), (int)r.GetInt64(2)), cancellationToken), cancellationToken);
}
