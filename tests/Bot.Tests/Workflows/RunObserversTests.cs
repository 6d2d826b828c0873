using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class RunObserversTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CatchUpAsync_ObserverFailedWhenTheRunFinished_TellsItAfterARestartAndThenNoMore()
    {
        await using var state = await TestState.CreateAsync();
        var observer = new CountingObserver { FailuresLeft = 1 };
        var run = await FinishedRunAsync(state);

        await state.Observers(observer).NotifyAsync(run, Ct);
        Assert.Empty(observer.Told);
        await state.Observers(observer).CatchUpAsync(Ct);
        await state.Observers(observer).CatchUpAsync(Ct);

        Assert.Equal([run.Id], observer.Told);
    }

    [Fact]
    public async Task CatchUpAsync_RunFinishedButNeverAnnounced_IsAnnouncedOnce()
    {
        await using var state = await TestState.CreateAsync();
        var observer = new CountingObserver();
        var run = await FinishedRunAsync(state); // the process died before the engine told anyone

        await state.Observers(observer).CatchUpAsync(Ct);
        await state.Observers(observer).CatchUpAsync(Ct);

        Assert.Equal([run.Id], observer.Told);
    }

    [Fact]
    public async Task CatchUpAsync_RunThatEndedLongBeforeTheStart_IsHistoryNotNews()
    {
        await using var state = await TestState.CreateAsync();
        var observer = new CountingObserver();
        await FinishedRunAsync(state);

        state.Time.Advance(TimeSpan.FromHours(2));
        await state.Observers(observer).CatchUpAsync(Ct);

        Assert.Empty(observer.Told);
    }

    [Fact]
    public async Task CatchUpAsync_RunThatNeverStarted_IsNotAnnounced()
    {
        await using var state = await TestState.CreateAsync();
        var observer = new CountingObserver();
        var awaiting = await state.Runs.CreateAwaitingAsync(NewRun(), RunStatus.AwaitingConfirmation, Ct);
        await state.Runs.CloseAwaitingAsync(awaiting.Id, RunStatus.Expired, "nobody confirmed", Ct);

        await state.Observers(observer).CatchUpAsync(Ct);

        Assert.Empty(observer.Told);
    }

    private static NewRun NewRun() => new("test", "up", new Dictionary<string, string>(), "webchat:alice", "alice",
        new ChatDestination("webchat", "ops"), [new RunStep("Start", StepState.Pending)]);

    internal static async Task<RunRecord> FinishedRunAsync(TestState state)
    {
        var acquired = Assert.IsType<LeaseOutcome.Acquired>(await state.Runs.CreateWithLeaseAsync(NewRun(), TimeSpan.FromMinutes(2), Ct));
        var steps = new[] { new RunStep("Start", StepState.Succeeded) };
        await state.Runs.SaveProgressAsync(acquired.Run.Id, acquired.Token, RunStatus.Running, steps, [], Ct);
        await state.Runs.FinishAsync(acquired.Run.Id, acquired.Token, RunStatus.Succeeded, "up", steps, [], Ct);
        return (await state.Runs.GetAsync(acquired.Run.Id, Ct))!;
    }

    /// <summary>A listener on the observer seam (as the deployment feed is), failing a given number of times first.</summary>
    private sealed class CountingObserver : IRunObserver
    {
        public int FailuresLeft { get; set; }

        public List<long> Told { get; } = [];

        public Task RunFinishedAsync(RunRecord run, CancellationToken cancellationToken)
        {
            if (FailuresLeft-- > 0)
            {
                throw new InvalidOperationException("chat is down");
            }

            Told.Add(run.Id);
            return Task.CompletedTask;
        }
    }
}
