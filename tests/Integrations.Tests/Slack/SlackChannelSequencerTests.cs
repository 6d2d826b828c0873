using ChatOps.Integrations.Slack;

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
        var other = await sut.RunAsync("C2", _ => { ran.Add("other channel"); return Task.FromResult(3); }, ct);

        Assert.False(second.IsCompleted);
        releaseFirst.SetResult();
        await Task.WhenAll(first, second);
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

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.False(third.IsCompleted);
        releaseFirst.SetResult();
        await Task.WhenAll(first, third);
        Assert.Equal(["first", "third"], ran);
    }

    [Fact]
    public async Task RunAsync_WorkThrows_NextStillRuns()
    {
        var sut = new SlackChannelSequencer();
        var ct = TestContext.Current.CancellationToken;

        var failing = sut.RunAsync<int>("C1", _ => throw new InvalidOperationException("boom"), ct);
        var next = sut.RunAsync("C1", _ => Task.FromResult(7), ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(7, await next);
    }
}
