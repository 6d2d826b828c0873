using ChatOps.Bot.Hosting;
using ChatOps.TestCommon;

namespace ChatOps.Bot.Tests.Hosting;

public sealed class ReadinessGateTests
{
    [Fact]
    public async Task WaitAsync_BeforeOpen_WaitsAndCompletesOnceOpened()
    {
        var sut = new ReadinessGate();
        var waiting = sut.WaitAsync(TestContext.Current.CancellationToken);

        Assert.False(sut.IsReady);
        Assert.False(waiting.IsCompleted);
        sut.Open();

        await Wait.ForAsync(waiting, "the gate to open");
        Assert.True(sut.IsReady);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_StopsWaitingWithoutOpening()
    {
        var sut = new ReadinessGate();
        using var cancellation = new CancellationTokenSource();
        var waiting = sut.WaitAsync(cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.False(sut.IsReady);
    }

    [Fact]
    public void Open_Twice_StaysOpen()
    {
        var sut = new ReadinessGate();

        sut.Open();
        sut.Open();

        Assert.True(sut.IsReady);
        Assert.True(sut.WaitAsync(TestContext.Current.CancellationToken).IsCompletedSuccessfully);
    }
}
