using ChatOps.Integrations.Chat.Outbox;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

public sealed class TokenBucketTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryTake_BurstSpent_RefillsOnePerInterval()
    {
        var sut = new TokenBucket(new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 3 }, T0);

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => sut.TryTake(T0)));
        Assert.Equal(T0.AddSeconds(1), sut.NextTokenAt(T0));
        Assert.False(sut.TryTake(T0.AddMilliseconds(999)));
        Assert.True(sut.TryTake(T0.AddSeconds(1)));
        Assert.False(sut.TryTake(T0.AddSeconds(1)));
    }

    [Fact]
    public void PauseUntil_EvenUnlimited_NothingBeforeThenOne()
    {
        var sut = new TokenBucket(new() { TokenInterval = TimeSpan.Zero, Burst = 1 }, T0);
        sut.PauseUntil(T0.AddSeconds(30));

        Assert.False(sut.TryTake(T0.AddSeconds(29)));
        Assert.Equal(T0.AddSeconds(30), sut.NextTokenAt(T0));
        Assert.True(sut.TryTake(T0.AddSeconds(30)));
    }

    [Fact]
    public void PauseUntil_LimitedBucket_OneTokenWhenPauseEnds()
    {
        var sut = new TokenBucket(new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 5 }, T0);
        sut.PauseUntil(T0.AddSeconds(10));

        Assert.True(sut.TryTake(T0.AddSeconds(10)));
        Assert.False(sut.TryTake(T0.AddSeconds(10)));
    }
}
