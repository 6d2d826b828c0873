using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>
/// Two replicas on one state store and one manual clock: a run and an inbox delivery belong to the replica that holds
/// them; another recovers them only once that replica's heartbeat is older than <c>DeadAfter</c>, and the stale
/// holder's late writes then change nothing.
/// </summary>
public sealed class RunStoreReplicaTests : IAsyncLifetime
{
    private static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly ChatDestination Ops = new("webchat", "ops");
    private TestState _state = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    private static NewRun Run() => new("test", "up", new Dictionary<string, string>(), "webchat:alice", "alice", Ops, [new RunStep("Start web1", StepState.Pending)]);

    private async Task<ReplicaIdentity> JoinAsync(string name)
    {
        var identity = new ReplicaIdentity(name, DeadAfter);
        Assert.Null(await new ReplicaStore(_state.Database, _state.Time).RegisterAsync(identity, Ct));
        return identity;
    }

    private Task BeatAsync(ReplicaIdentity replica) => new ReplicaStore(_state.Database, _state.Time).BeatAsync(replica, _state.Time.GetUtcNow(), Ct);

    [Fact]
    public async Task ListLeftAsync_HolderAlive_AnotherReplicaStartingLeavesItsRunAlone()
    {
        var a = await JoinAsync("a");
        var b = await JoinAsync("b");
        var acquired = Assert.IsType<LeaseOutcome.Acquired>(await new RunStore(_state.Database, _state.Time, a).CreateWithLeaseAsync(Run(), Lease, Ct));
        var onB = new RunStore(_state.Database, _state.Time, b);

        Assert.Empty(await onB.ListLeftAsync(starting: true, Ct));
        Assert.False(await onB.InterruptLeftAsync(acquired.Run.Id, "no", acquired.Run.Steps, starting: true, Ct));
        Assert.Equal(RunStatus.Pending, (await onB.GetAsync(acquired.Run.Id, Ct))!.Status);
        Assert.Equal("a", (await onB.GetAsync(acquired.Run.Id, Ct))!.Replica);
    }

    [Fact]
    public async Task InterruptLeftAsync_HolderDead_InterruptsOnceAndTheStaleHoldersWritesChangeNothing()
    {
        var a = await JoinAsync("a");
        var b = await JoinAsync("b");
        var onA = new RunStore(_state.Database, _state.Time, a);
        var onB = new RunStore(_state.Database, _state.Time, b);
        var acquired = Assert.IsType<LeaseOutcome.Acquired>(await onA.CreateWithLeaseAsync(Run(), Lease, Ct));

        // A falls silent; B beats on.
        _state.Time.Advance(DeadAfter + TimeSpan.FromSeconds(1));
        await BeatAsync(b);

        // A's own look never takes its own run, however late its heartbeat.
        Assert.Empty(await onA.ListLeftAsync(starting: false, Ct));
        var left = Assert.Single(await onB.ListLeftAsync(starting: false, Ct));
        Assert.Equal(acquired.Run.Id, left.Id);
        Assert.True(await onB.InterruptLeftAsync(left.Id, "replica a stopped", left.Steps, starting: false, Ct));
        Assert.False(await onB.InterruptLeftAsync(left.Id, "again", left.Steps, starting: false, Ct));
        Assert.Null(await onB.GetLeaseAsync("test", Ct));

        // A comes back from its pause and writes as if it still held the run.
        Assert.False(await onA.SaveProgressAsync(left.Id, acquired.Token, RunStatus.Running, left.Steps, [], Ct));
        Assert.False(await onA.FinishAsync(left.Id, acquired.Token, RunStatus.Succeeded, "done", left.Steps, [], Ct));
        var run = (await onB.GetAsync(left.Id, Ct))!;
        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Equal("replica a stopped", run.Result);
    }

    [Fact]
    public async Task InboxLeftClaims_HolderDead_AnotherClosesItsDeliveryAndTheLaneWaitsWhileItLives()
    {
        var a = await JoinAsync("a");
        var b = await JoinAsync("b");
        var inboxA = new InboxStore(_state.Database, _state.Time, a);
        var inboxB = new InboxStore(_state.Database, _state.Time, b);
        var carol = new ChatUser("webchat", "carol", "Carol");
        await inboxA.ReceiveAsync(new ChatRequest(Ops, carol, "/env up dev", "d1", "m1", null), 10, Ct);
        await inboxA.ReceiveAsync(new ChatRequest(Ops, carol, "/env status dev", "d2", "m2", null), 10, Ct);
        var lane = Assert.Single(await inboxA.DueLanesAsync(_state.Time.GetUtcNow(), Ct));
        var first = await inboxA.ClaimNextAsync(lane, _state.Time.GetUtcNow(), Timeout.InfiniteTimeSpan, Ct);
        Assert.Equal("d1", first!.DeliveryId);

        // While A runs carol's first message, B neither takes her second nor closes the first.
        Assert.Null(await inboxB.ClaimNextAsync(lane, _state.Time.GetUtcNow(), Timeout.InfiniteTimeSpan, Ct));
        Assert.Empty((await inboxB.ReleaseLeftClaimsAsync(_state.Time.GetUtcNow(), starting: true, Ct)).Abandoned);

        _state.Time.Advance(DeadAfter + TimeSpan.FromSeconds(1));
        await BeatAsync(b);

        var abandoned = Assert.Single((await inboxB.ReleaseLeftClaimsAsync(_state.Time.GetUtcNow(), starting: false, Ct)).Abandoned);
        Assert.Equal("d1", abandoned.DeliveryId);
        await inboxB.MarkInterruptedAsync(abandoned.Seq, Ct);
        Assert.Equal("d2", (await inboxB.ClaimNextAsync(lane, _state.Time.GetUtcNow(), Timeout.InfiniteTimeSpan, Ct))!.DeliveryId);
    }
}
