using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.WebChat;

public sealed class WebChatFeedTests
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private static WebChatMessage Message(string id) =>
        new(id, "ops", "bot", "hello", [], [], null, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, false);

    [Fact]
    public async Task SubscribeAsync_QuietStream_YieldsAHeartbeatThenMessages()
    {
        var time = new FakeTimeProvider();
        var sut = new WebChatFeed();
        await using var stream = sut.SubscribeAsync(KeepAlive, time, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        var first = stream.MoveNextAsync();
        Assert.False(first.IsCompleted);
        time.Advance(KeepAlive);
        Assert.True(await first);
        Assert.Null(stream.Current);

        var second = stream.MoveNextAsync();
        sut.Publish(Message("m7"));
        Assert.True(await second);
        Assert.Equal("m7", stream.Current!.Id);
    }

    [Fact]
    public async Task SubscribeAsync_BusyStream_SendsNoHeartbeat()
    {
        var time = new FakeTimeProvider();
        var sut = new WebChatFeed();
        await using var stream = sut.SubscribeAsync(KeepAlive, time, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        for (var i = 0; i < 3; i++)
        {
            var next = stream.MoveNextAsync();
            time.Advance(KeepAlive / 2);
            sut.Publish(Message($"m{i}"));
            Assert.True(await next);
            Assert.Equal($"m{i}", stream.Current!.Id);
        }
    }

    [Fact]
    public async Task Changed_SeveralTimesBeforeTheTailLooks_ThrowsNothing_AndWakesItOnce()
    {
        var time = new FakeTimeProvider();
        var sut = new WebChatFeed();
        var thrown = 0;
        var thread = Environment.CurrentManagedThreadId;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            // Caught or not: an exception per post is what the runtime's exception counters show an operator.
            if (Environment.CurrentManagedThreadId == thread)
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            sut.Changed();
            sut.Changed();
            sut.Changed();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        var woken = sut.WaitForChangeAsync(TimeSpan.FromSeconds(5), time, TestContext.Current.CancellationToken);
        Assert.True(woken.IsCompletedSuccessfully);
        var again = sut.WaitForChangeAsync(TimeSpan.FromSeconds(5), time, TestContext.Current.CancellationToken);
        Assert.False(again.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        await again;
        Assert.Equal(0, thrown);
    }
}
