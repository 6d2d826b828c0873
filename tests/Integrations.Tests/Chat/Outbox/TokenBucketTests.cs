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
    public void TryTakeMany_FewerTokensThanWanted_TakesWhatThereIsAndNoMore()
    {
        var sut = new TokenBucket(new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 3 }, T0);

        Assert.Equal(3, sut.TryTake(T0, 5));
        Assert.Equal(0, sut.TryTake(T0.AddMilliseconds(999), 5));
        Assert.Equal(2, sut.TryTake(T0.AddSeconds(2.5), 5));
        sut.Refund(2);
        Assert.Equal(2, sut.TryTake(T0.AddSeconds(2.5), 2));
    }

    [Fact]
    public void TryTakeMany_Unlimited_AllWantedUnlessPaused()
    {
        var sut = new TokenBucket(new() { TokenInterval = TimeSpan.Zero, Burst = 1 }, T0);

        Assert.Equal(16, sut.TryTake(T0, 16));
        sut.PauseUntil(T0.AddSeconds(30));
        Assert.Equal(0, sut.TryTake(T0.AddSeconds(29), 16));
        Assert.True(sut.IsPausedAt(T0.AddSeconds(29)));
        Assert.Equal(16, sut.TryTake(T0.AddSeconds(30), 16));
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

    [Theory]
    [InlineData(2, 3, 2)]
    [InlineData(3, 2, 3)]
    [InlineData(6, 1, 6)]
    public void TryTake_SharedByReplicas_BurstAndRateDividedBurstAtLeastOne(int replicas, int burst, int secondsPerToken)
    {
        var sut = new TokenBucket(new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 6 }, T0, _ => replicas);

        Assert.Equal(burst, Enumerable.Range(0, 10).Count(_ => sut.TryTake(T0)));
        Assert.Equal(T0.AddSeconds(secondsPerToken), sut.NextTokenAt(T0));
        Assert.False(sut.TryTake(T0.AddSeconds(secondsPerToken).AddMilliseconds(-1)));
        Assert.True(sut.TryTake(T0.AddSeconds(secondsPerToken)));
    }

    [Fact]
    public void TryTake_MoreReplicasThanBurst_EachKeepsOneSendAndTheDividedRate()
    {
        var sut = new TokenBucket(new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 3 }, T0, _ => 5);

        Assert.Equal([true, false], new[] { sut.TryTake(T0), sut.TryTake(T0) });
        Assert.Equal(T0.AddSeconds(5), sut.NextTokenAt(T0));
    }

    [Fact]
    public void TryTake_ShareChanges_FollowsTheReplicasCountedAtEachUse()
    {
        var replicas = 1;
        var sut = new TokenBucket(new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 4 }, T0, _ => replicas);

        // A second replica joins while this one holds a full burst: it keeps only its share.
        replicas = 2;
        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => sut.TryTake(T0)));

        // The other dies: the whole rate and burst come back.
        replicas = 1;
        Assert.Equal(4, Enumerable.Range(0, 10).Count(_ => sut.TryTake(T0.AddSeconds(10))));
        Assert.Equal(T0.AddSeconds(11), sut.NextTokenAt(T0.AddSeconds(10)));
    }
}
