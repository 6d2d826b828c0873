using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class RunStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static NewRun Run(string requester = "alice") => new("test", "provision", new Dictionary<string, string> { ["version"] = "7" },
        $"webchat:{requester}", requester, new ChatDestination("webchat", "ops"), [new RunStep("Deploy", StepState.Pending)]);

    [Fact]
    public async Task CreateWithLeaseAsync_TwentyAtOnce_CreatesExactlyOneRun()
    {
        await using var state = await TestState.CreateAsync();
        var sut = state.Runs;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => sut.CreateWithLeaseAsync(Run(), Lease, TestContext.Current.CancellationToken))));

        Assert.Single(outcomes.OfType<LeaseOutcome.Acquired>());
        Assert.Equal(19, outcomes.OfType<LeaseOutcome.Busy>().Count());
        Assert.Single(await sut.ListAsync("test", 100, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateWithLeaseAsync_LockedBySomeoneElse_RefusesWithTheLock()
    {
        await using var state = await TestState.CreateAsync();
        await state.Locks.TakeAsync("test", "webchat:bob", "bob", "demo", TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        var outcome = await state.Runs.CreateWithLeaseAsync(Run("alice"), Lease, TestContext.Current.CancellationToken);

        var locked = Assert.IsType<LeaseOutcome.Locked>(outcome);
        Assert.Equal("bob", locked.Lock.HolderName);
        Assert.Empty(await state.Runs.ListAsync("test", 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateWithLeaseAsync_LockedByRequester_Proceeds()
    {
        await using var state = await TestState.CreateAsync();
        await state.Locks.TakeAsync("test", "webchat:alice", "alice", null, TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        Assert.IsType<LeaseOutcome.Acquired>(await state.Runs.CreateWithLeaseAsync(Run("alice"), Lease, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateWithLeaseAsync_ExpiredLock_DoesNotBlock()
    {
        await using var state = await TestState.CreateAsync();
        await state.Locks.TakeAsync("test", "webchat:bob", "bob", null, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        state.Time.Advance(TimeSpan.FromMinutes(6));

        Assert.IsType<LeaseOutcome.Acquired>(await state.Runs.CreateWithLeaseAsync(Run("alice"), Lease, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SaveProgressAsync_AfterLeaseTakenOver_IsRefusedAndCannotReleaseTheNewLease()
    {
        await using var state = await TestState.CreateAsync();
        var sut = state.Runs;
        var first = Assert.IsType<LeaseOutcome.Acquired>(await sut.CreateWithLeaseAsync(Run(), Lease, TestContext.Current.CancellationToken));
        state.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = Assert.IsType<LeaseOutcome.Acquired>(await sut.CreateWithLeaseAsync(Run("bob"), Lease, TestContext.Current.CancellationToken));

        Assert.True(second.Token > first.Token);
        Assert.False(await sut.SaveProgressAsync(first.Run.Id, first.Token, RunStatus.Running, [], [], TestContext.Current.CancellationToken));
        Assert.False(await sut.RenewLeaseAsync("test", first.Token, Lease, TestContext.Current.CancellationToken));
        await sut.FinishAsync(first.Run.Id, first.Token, RunStatus.Failed, "late", [], [], TestContext.Current.CancellationToken);

        var lease = await sut.GetLeaseAsync("test", TestContext.Current.CancellationToken);
        Assert.Equal(second.Run.Id, lease!.RunId);
    }

    [Fact]
    public async Task FinishAsync_ReleasesLease()
    {
        await using var state = await TestState.CreateAsync();
        var acquired = Assert.IsType<LeaseOutcome.Acquired>(await state.Runs.CreateWithLeaseAsync(Run(), Lease, TestContext.Current.CancellationToken));

        await state.Runs.FinishAsync(acquired.Run.Id, acquired.Token, RunStatus.Succeeded, "done", [], [], TestContext.Current.CancellationToken);

        Assert.Null(await state.Runs.GetLeaseAsync("test", TestContext.Current.CancellationToken));
        Assert.Equal(RunStatus.Succeeded, (await state.Runs.GetAsync(acquired.Run.Id, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task InterruptLeftAsync_AtStartOwnNamesRun_IsInterruptedAndLeaseReleased()
    {
        await using var state = await TestState.CreateAsync();
        var acquired = Assert.IsType<LeaseOutcome.Acquired>(await state.Runs.CreateWithLeaseAsync(Run(), Lease, TestContext.Current.CancellationToken));

        Assert.True(await state.Runs.InterruptLeftAsync(acquired.Run.Id, "restart", acquired.Run.Steps, starting: true, TestContext.Current.CancellationToken));

        Assert.Null(await state.Runs.GetLeaseAsync("test", TestContext.Current.CancellationToken));
        Assert.Empty(await state.Runs.ListInFlightAsync(TestContext.Current.CancellationToken));
        Assert.Equal(RunStatus.Interrupted, (await state.Runs.GetAsync(acquired.Run.Id, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task TakeAsync_SomeoneElsesLock_IsNotTaken()
    {
        await using var state = await TestState.CreateAsync();
        await state.Locks.TakeAsync("test", "webchat:bob", "bob", "demo", TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        var (taken, held) = await state.Locks.TakeAsync("test", "webchat:alice", "alice", null, TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        Assert.False(taken);
        Assert.Equal("bob", held.HolderName);
    }
}
