using System.Collections.Concurrent;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Chat.Queue;

/// <summary>
/// Several replicas claiming from one inbox and one outbox at the same time, each through its own <see cref="StateDatabase"/>
/// (its own connections), on both engines: on PostgreSQL the claims lock rows and skip the ones another holds, without the
/// write lock; on SQLite they queue behind the one writer. Either way each item is taken once and lanes keep their order.
/// </summary>
public sealed class ReplicaClaimTests : IAsyncDisposable
{
    private const int Replicas = 4;

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    private readonly string _root = Directory.CreateTempSubdirectory("chatops-claims-").FullName;
    private readonly List<StateDatabase> _databases = [];
    private readonly FakeTimeProvider _time = new(Now);
    private TestStateStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(StorageProvider.Postgres)]
    [InlineData(StorageProvider.Sqlite)]
    public async Task InboxClaimNextAsync_ReplicasClaimingAtOnce_EachDeliveryOnceAndEachLaneInOrder(StorageProvider provider)
    {
        const int Lanes = 6;
        const int Deliveries = 120;
        var inboxes = await StartReplicasAsync(provider, (database, identity) => new InboxStore(database, _time, identity));
        for (var i = 0; i < Deliveries; i++)
        {
            var user = $"user{i % Lanes}";
            var request = new ChatRequest(new ChatDestination("webchat", "ops"), new ChatUser("webchat", user), $"say {i}", $"d{i:D3}");
            Assert.Equal(InboxAdmission.Accepted, await inboxes[i % Replicas].ReceiveAsync(request, Deliveries, Ct));
        }

        var clock = 0L;
        var claims = new ConcurrentBag<(string Lane, long Seq, long ClaimedAt, long FinishedAt)>();
        // Each replica's worker: its lanes one delivery at a time, finished before the lane's next is claimed.
        await RunReplicasAsync($"{Replicas} replicas claiming {Deliveries} deliveries", () => claims.Count < Deliveries, inboxes.Select<InboxStore, Func<CancellationToken, Task>>(inbox => async stop =>
        {
            foreach (var lane in (await inbox.DueLanesAsync(Now, stop)).OrderBy(_ => Random.Shared.Next()))
            {
                while (await inbox.ClaimNextAsync(lane, Now, Timeout.InfiniteTimeSpan, stop) is { } item)
                {
                    var claimedAt = Interlocked.Increment(ref clock);
                    var finishedAt = Interlocked.Increment(ref clock);
                    claims.Add((item.Lane, item.Seq, claimedAt, finishedAt));
                    await inbox.FinishAsync(item.Seq, stop);
                }
            }
        }));

        var taken = claims.ToList();
        Assert.Equal(Deliveries, taken.Count);
        Assert.Equal(Deliveries, taken.Select(c => c.Seq).Distinct().Count());
        foreach (var lane in taken.GroupBy(c => c.Lane))
        {
            var inOrder = lane.OrderBy(c => c.Seq).ToList();
            for (var i = 1; i < inOrder.Count; i++)
            {
                // Claimed only after the one before it in the lane was done (its finish is stamped before it is written).
                Assert.True(inOrder[i - 1].FinishedAt < inOrder[i].ClaimedAt,
                    $"lane {lane.Key}: delivery {inOrder[i].Seq} was claimed before {inOrder[i - 1].Seq} was done");
            }
        }
    }

    [Theory]
    [InlineData(StorageProvider.Postgres)]
    [InlineData(StorageProvider.Sqlite)]
    public async Task OutboxClaimNextAsync_ReplicasClaimingAtOnce_EachMessageSentOnceAndEachReplicaInQueueOrder(StorageProvider provider)
    {
        const int Destinations = 5;
        const int Posts = 150;
        var outboxes = await StartReplicasAsync(provider, (database, identity) => new OutboxStore(database, _time, identity));
        for (var i = 0; i < Posts; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(await outboxes[i % Replicas].EnqueuePostAsync($"post:{i:D3}", Destination(i % Destinations), OutgoingMessage.Plain($"message {i}"), null, null, Ct));
        }

        var now = _time.GetUtcNow();
        var sent = new ConcurrentBag<string>();
        var byReplica = Enumerable.Range(0, Replicas).Select(_ => new List<(ChatDestination Destination, string Key)>()).ToArray();
        await RunReplicasAsync($"{Replicas} replicas sending {Posts} messages", () => sent.Count < Posts, outboxes.Select<OutboxStore, Func<CancellationToken, Task>>((outbox, replica) => async stop =>
        {
            foreach (var destination in (await outbox.DueLanesAsync(now, stop)).OrderBy(_ => Random.Shared.Next()))
            {
                while (await outbox.ClaimNextAsync(destination, now, TimeSpan.FromHours(1), stop) is { } work)
                {
                    byReplica[replica].Add((destination, work.Key));
                    Assert.True(await outbox.CompleteAsync(work, $"ts-{work.Key}", now, stop), $"{work.Key}: the claim was no longer its claimant's");
                    sent.Add(work.Key);
                }
            }
        }));

        Assert.Equal(Posts, sent.Count);
        Assert.Equal(Posts, sent.Distinct().Count());
        foreach (var claimed in byReplica)
        {
            foreach (var destination in claimed.GroupBy(c => c.Destination))
            {
                // Keys sort as they were queued: whatever a replica takes of a destination, it takes oldest first.
                var keys = destination.Select(c => c.Key).ToList();
                Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
            }
        }

        var unsent = await outboxes[0].DueLanesAsync(now.AddDays(1), Ct);
        Assert.Empty(unsent);
    }

    [Fact]
    public async Task ClaimNextAsync_PostgresWriteLockHeldByAnotherTransaction_ClaimsWithoutWaitingForIt()
    {
        var identity = new ReplicaIdentity("replica-a", TimeSpan.FromSeconds(10));
        var database = (await StartDatabasesAsync(StorageProvider.Postgres, 1))[0];
        var inbox = new InboxStore(database, _time, identity);
        var outbox = new OutboxStore(database, _time, identity);
        var request = new ChatRequest(new ChatDestination("webchat", "ops"), new ChatUser("webchat", "carol"), "/env status test", "d1");
        Assert.Equal(InboxAdmission.Accepted, await inbox.ReceiveAsync(request, 10, Ct));
        Assert.True(await outbox.EnqueuePostAsync("post:1", Destination(0), OutgoingMessage.Plain("hello"), null, null, Ct));

        await using var holder = await _store!.OpenAsync();
        await using var held = await holder.BeginTransactionAsync(Ct);
        await holder.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", held, Ct, ("@key", PostgresDialect.WriteLockKey));
        // A write does queue behind it: the lock the claims must not wait for is really held.
        var write = database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE inbox SET summary = summary WHERE seq = 0", t, Ct), Ct);

        var claimed = await Wait.ForAsync(inbox.ClaimNextAsync(InboxItem.LaneOf(request.Destination, request.User), Now, Timeout.InfiniteTimeSpan, Ct),
            "an inbox claim while another transaction holds the write lock");
        var work = await Wait.ForAsync(outbox.ClaimNextAsync(Destination(0), _time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct),
            "an outbox claim while another transaction holds the write lock");

        Assert.Equal("d1", claimed?.DeliveryId);
        Assert.Equal("post:1", work?.Key);
        Assert.False(write.IsCompleted, "a write finished while the write lock was held elsewhere");
        await held.RollbackAsync(Ct);
        await Wait.ForAsync(write, "the write once the lock is let go");
    }

    [Fact]
    public async Task InboxClaimNextAsync_PostgresLaneHeadBeingClaimedElsewhere_TakesNothingOfThatLaneAndDoesNotWait()
    {
        var identity = new ReplicaIdentity("replica-a", TimeSpan.FromSeconds(10));
        var inbox = new InboxStore((await StartDatabasesAsync(StorageProvider.Postgres, 1))[0], _time, identity);
        var user = new ChatUser("webchat", "carol");
        foreach (var id in new[] { "d1", "d2" })
        {
            Assert.Equal(InboxAdmission.Accepted, await inbox.ReceiveAsync(new ChatRequest(new ChatDestination("webchat", "ops"), user, "/env status test", id), 10, Ct));
        }

        var lane = InboxItem.LaneOf(new ChatDestination("webchat", "ops"), user);
        await using var other = await _store!.OpenAsync();
        await using var claiming = await other.BeginTransactionAsync(Ct);
        // Another replica's claim of the head, under way: its row is locked and not yet started.
        await other.ExecuteAsync("SELECT seq FROM inbox WHERE delivery_id = 'd1' FOR UPDATE", claiming, Ct);

        var meanwhile = await Wait.ForAsync(inbox.ClaimNextAsync(lane, Now, Timeout.InfiniteTimeSpan, Ct), "a claim of a lane whose head another claim holds");

        Assert.Null(meanwhile);
        await claiming.RollbackAsync(Ct);
        Assert.Equal("d1", (await inbox.ClaimNextAsync(lane, Now, Timeout.InfiniteTimeSpan, Ct))?.DeliveryId);
    }

    [Fact]
    public async Task DigestAsync_PostgresPostBeingClaimedElsewhere_MergesTheOthersAndLeavesItToItsClaim()
    {
        var identity = new ReplicaIdentity("replica-a", TimeSpan.FromSeconds(10));
        var outbox = new OutboxStore((await StartDatabasesAsync(StorageProvider.Postgres, 1))[0], _time, identity);
        for (var i = 0; i < 8; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(await outbox.EnqueuePostAsync($"alert:{i}", Destination(0), OutgoingMessage.Plain($"alert {i}"), null, "alert", Ct));
        }

        await using var other = await _store!.OpenAsync();
        await using var claiming = await other.BeginTransactionAsync(Ct);
        // Another replica's claim of the oldest alert, under way: about to send it on its own.
        await other.ExecuteAsync("SELECT seq FROM chat_outbox WHERE key = 'alert:0' FOR UPDATE", claiming, Ct);

        var digest = await Wait.ForAsync(outbox.DigestAsync(Destination(0), _time.GetUtcNow(), new ChatDeliveryOptions(), Ct),
            "a digest while a claim holds one of its posts");
        await claiming.RollbackAsync(Ct);

        Assert.Equal(7, digest?.Added);
        var states = await _databases[0].ReadAsync(c => c.QueryAsync("SELECT key, status FROM chat_outbox WHERE is_digest = 0 ORDER BY seq", null,
            r => $"{r.GetString(0)}={r.GetString(1)}", Ct), Ct);
        Assert.Equal(["alert:0=pending", .. Enumerable.Range(1, 7).Select(i => $"alert:{i}=digested")], states);
    }

    private static ChatDestination Destination(int n) => new("slack", $"C{n}");

    /// <summary>
    /// Runs each replica's <paramref name="rounds"/> over and over, all at once, while <paramref name="more"/> holds; the first
    /// failure (or the bound) stops them all, so none goes on after the test.
    /// </summary>
    private static async Task RunReplicasAsync(string what, Func<bool> more, IEnumerable<Func<CancellationToken, Task>> rounds)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = rounds.Select(round => Task.Run(async () =>
        {
            try
            {
                while (more() && !stop.IsCancellationRequested)
                {
                    await round(stop.Token);
                }
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }, CancellationToken.None)).ToList();
        try
        {
            await Wait.ForAsync(Task.WhenAll(running), what, TimeSpan.FromMinutes(2));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>One store per replica, each over a <see cref="StateDatabase"/> of its own on the one shared store.</summary>
    private async Task<List<T>> StartReplicasAsync<T>(StorageProvider provider, Func<StateDatabase, ReplicaIdentity, T> create)
    {
        var databases = await StartDatabasesAsync(provider, Replicas);
        return [.. databases.Select((d, i) => create(d, new ReplicaIdentity($"replica-{i}", TimeSpan.FromSeconds(10))))];
    }

    private async Task<List<StateDatabase>> StartDatabasesAsync(StorageProvider provider, int count)
    {
        _store = await TestStateStore.CreateAsync(_root, provider);
        for (var i = 0; i < count; i++)
        {
            var database = new StateDatabase(Options.Create(_store.Options()), [new CoordinationSchema(), new InboxSchema(), new OutboxSchema()],
                new TestHostEnvironment(_root), timeProvider: _time);
            _databases.Add(database);
            await database.InitializeAsync(Ct);
        }

        return _databases;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
