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
}
