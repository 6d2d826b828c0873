using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class RunWordingTests
{
    [Theory]
    [InlineData(299.9, "5 minutes")]
    [InlineData(240.5, "5 minutes")]
    [InlineData(45, "45 seconds")]
    [InlineData(0.2, "a moment")]
    public void Remaining_RoundsUpPastAMinute(double seconds, string expected) =>
        Assert.Equal(expected, RunWording.Remaining(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Busy_SaysWhoWhatAndHowLong()
    {
        var since = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var lease = new LeaseInfo("test", 12, "alice", "up", 3, since, since.AddMinutes(2));

        Assert.Equal("alice has been bringing test up for 2 minutes (run 12).", RunWording.Busy(lease, since.AddMinutes(2).AddSeconds(10)));
    }
}
