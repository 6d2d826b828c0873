using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

/// <summary>
/// Several replicas on one state store (SQLite, or PostgreSQL with <c>CHATOPS_TEST_STORAGE=Postgres</c>) divide each
/// destination's budget: together they send what the platform allows one destination, and a replica that dies gives
/// its share back to the others.
/// </summary>
public sealed class SharedBudgetTests
{
    private static readonly ChatDestination Alerts = OutboxHarness.Alerts;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A platform allowing a burst of 6 and one send a second per destination.</summary>
    private static void SixAtOnceThenOneASecond(ChatDeliveryOptions options) =>
        options.Limits["slack"] = new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 6 };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RunOnceAsync_SeveralLiveReplicas_EachSendsItsShareAndTogetherTheBudget(int count)
    {
        using var harness = await OutboxHarness.CreateAsync(SixAtOnceThenOneASecond);
        var replicas = await OutboxReplica.JoinAllAsync(harness, [.. Enumerable.Range(1, count).Select(i => $"replica-{i}")]);
        await EnqueueAsync(harness, 30);

        foreach (var (replica, _, _) in replicas)
        {
            await replica.RunOnceAsync();
        }

        // The burst of 6 divided: each replica sends 6 / N at once.
        Assert.All(replicas, r => Assert.Equal(6 / count, r.Slack.Posts.Count()));

        // And one send every N seconds each: together, one a second.
        harness.Time.Advance(TimeSpan.FromSeconds(count));
        foreach (var (replica, _, _) in replicas)
        {
            await replica.RunOnceAsync();
        }

        Assert.All(replicas, r => Assert.Equal((6 / count) + 1, r.Slack.Posts.Count()));
        Assert.Equal(6 + count, replicas.Sum(r => r.Slack.Posts.Count()));
        Assert.Equal(6 + count, replicas.SelectMany(r => r.Slack.Posts).Select(p => p.Message.DeliveryKey).Distinct().Count());
        Assert.All(replicas, r => r.Replica.Dispose());
    }

    [Fact]
    public async Task RunOnceAsync_ReplicaDies_ItsShareReturnsToTheOthersWithinDeadAfter()
    {
        using var harness = await OutboxHarness.CreateAsync(SixAtOnceThenOneASecond);
        var replicas = await OutboxReplica.JoinAllAsync(harness, "replica-a", "replica-b", "replica-c");
        var (a, sent, _) = replicas[0];
        await EnqueueAsync(harness, 30);
        await a.RunOnceAsync();
        Assert.Equal(2, sent.Posts.Count());

        // C is killed: it beats no more, while A and B go on beating. Up to DeadAfter after its last beat it still counts.
        var deadAt = harness.Time.GetUtcNow() + OutboxReplica.Settings.DeadAfter;
        while (harness.Time.GetUtcNow() + OutboxReplica.Settings.HeartbeatInterval < deadAt)
        {
            harness.Time.Advance(OutboxReplica.Settings.HeartbeatInterval);
            await replicas[0].Replica.BeatAsync();
            await replicas[1].Replica.BeatAsync();
        }

        Assert.Equal(3, a.Live.CountAt(harness.Time.GetUtcNow()));
        harness.Time.Advance(deadAt - harness.Time.GetUtcNow());
        Assert.Equal(2, a.Live.CountAt(harness.Time.GetUtcNow()));

        // A's share is now half the budget: a burst of 3, then one send every 2 seconds.
        await a.RunOnceAsync();
        Assert.Equal(2 + 3, sent.Posts.Count());
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await a.RunOnceAsync();
        Assert.Equal(2 + 3 + 1, sent.Posts.Count());
        Assert.All(replicas, r => r.Replica.Dispose());
    }

    [Fact]
    public async Task BeatAsync_ReplicaStopsCleanly_OthersTakeTheWholeBudgetAtTheirNextBeat()
    {
        using var harness = await OutboxHarness.CreateAsync(SixAtOnceThenOneASecond);
        var replicas = await OutboxReplica.JoinAllAsync(harness, "replica-a", "replica-b");
        var (a, sent, _) = replicas[0];
        Assert.Equal(2, a.Live.CountAt(harness.Time.GetUtcNow()));

        await replicas[1].Replica.Heartbeat.StopAsync(Ct);
        await a.BeatAsync();

        Assert.Equal(1, a.Live.CountAt(harness.Time.GetUtcNow()));
        await EnqueueAsync(harness, 10);
        await a.RunOnceAsync();
        Assert.Equal(6, sent.Posts.Count());
        Assert.All(replicas, r => r.Replica.Dispose());
    }

    [Fact]
    public async Task RunOnceAsync_ReplicaJoins_TheOthersShrinkTheirShareAtTheirNextBeat()
    {
        using var harness = await OutboxHarness.CreateAsync(SixAtOnceThenOneASecond);
        var (a, sent, _) = Assert.Single(await OutboxReplica.JoinAllAsync(harness, "replica-a"));
        Assert.Equal(1, a.Live.CountAt(harness.Time.GetUtcNow()));

        var (b, _, _) = Assert.Single(await OutboxReplica.JoinAllAsync(harness, "replica-b"));
        // B counts A from its registration on; A counts B from its next heartbeat.
        Assert.Equal(2, b.Live.CountAt(harness.Time.GetUtcNow()));
        await a.BeatAsync();

        await EnqueueAsync(harness, 10);
        await a.RunOnceAsync();
        Assert.Equal(3, sent.Posts.Count());
        a.Dispose();
        b.Dispose();
    }

    private static async Task EnqueueAsync(OutboxHarness harness, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"alert:{i}", Alerts, OutgoingMessage.Plain($"alert {i}"), cancellationToken: Ct);
        }
    }
}
