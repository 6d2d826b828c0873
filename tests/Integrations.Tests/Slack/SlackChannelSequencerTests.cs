using ChatOps.Integrations.Slack;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Slack;

public sealed class SlackChannelSequencerTests
{
    [Fact]
    public async Task RunAsync_SameChannel_RunsOneAtATimeInCallOrder()
    {
        var sut = new SlackChannelSequencer();
        var ran = new List<string>();
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ct = TestContext.Current.CancellationToken;

        var first = sut.RunAsync("C1", async _ => { await releaseFirst.Task; ran.Add("first"); return 1; }, ct);
        var second = sut.RunAsync("C1", _ => { ran.Add("second"); return Task.FromResult(2); }, ct);
        // Bounded: a sequencer that wrongly queued C2 behind C1 would wait for a release that comes later.
        await Wait.ForAsync(sut.RunAsync("C2", _ => { ran.Add("other channel"); return Task.FromResult(3); }, ct), "C2's work, which must not wait for C1");

        Assert.False(second.IsCompleted);
        releaseFirst.SetResult();
        await Wait.ForAsync(Task.WhenAll(first, second), "both calls on C1");
        Assert.Equal(["other channel", "first", "second"], ran);
    }

    [Fact]
    public async Task RunAsync_WaiterCancelled_NextStillWaitsForTheWorkAhead()
    {
        var sut = new SlackChannelSequencer();
        var ran = new List<string>();
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancelSecond = new CancellationTokenSource();
        var ct = TestContext.Current.CancellationToken;

        var first = sut.RunAsync("C1", async _ => { await releaseFirst.Task; ran.Add("first"); return 1; }, ct);
        var second = sut.RunAsync("C1", _ => { ran.Add("second"); return Task.FromResult(2); }, cancelSecond.Token);
        var third = sut.RunAsync("C1", _ => { ran.Add("third"); return Task.FromResult(3); }, ct);
        await cancelSecond.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(second, "the cancelled waiter to give up"));
        Assert.False(third.IsCompleted);
        releaseFirst.SetResult();
        await Wait.ForAsync(Task.WhenAll(first, third), "the first and third calls on C1");
        Assert.Equal(["first", "third"], ran);
    }

    [Fact]
    public async Task RunAsync_WorkThrows_NextStillRuns()
    {
        var sut = new SlackChannelSequencer();
        var ct = TestContext.Current.CancellationToken;

        var failing = sut.RunAsync<int>("C1", _ => throw new InvalidOperationException("boom"), ct);
        var next = sut.RunAsync("C1", _ => Task.FromResult(7), ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Wait.ForAsync(failing, "the failing call"));
        Assert.Equal(7, await Wait.ForAsync(next, "the call after the failing one"));
    }
}
