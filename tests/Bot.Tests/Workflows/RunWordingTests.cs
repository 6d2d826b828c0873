using ChatOps.Bot.Conversations;
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

        Assert.Equal("alice has been bringing test up for 2 minutes (run 12).", RunWording.Busy(lease, TestCatalog.Kinds, since.AddMinutes(2).AddSeconds(10)));
    }

    [Fact]
    public void Describe_RunRefusals_SaysEachAsBefore()
    {
        var at = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var held = new LockInfo("prod", "webchat:carol", "carol", "release check", at.AddMinutes(-5), at.AddHours(1));

        Assert.Equal("*prod* is locked by carol since 5 minutes ago: release check", RunWording.Describe(new RunRefusal.Locked(held, at)));
        Assert.Equal("Run 4 does not exist.", RunWording.Describe(new RunRefusal.NotStartable(4, null, at)));
        Assert.Equal("Run 4 is expired.", RunWording.Describe(new RunRefusal.NotStartable(4, RunStatus.Expired, at)));
    }

    [Theory]
    [InlineData("already", "This request was already confirmed by carol; nothing changed.")]
    [InlineData("race", "This request was already cancelled; nothing changed.")]
    [InlineData("expired", "This request expired 1 minute ago; nothing was done. Ask again if it is still needed.")]
    [InlineData("requester", "Only carol, who asked, can confirm or cancel this request.")]
    [InlineData("own", "You cannot approve your own request: another member of *ops* must.")]
    [InlineData("role", "Approving needs the *ops* role, which you do not have.")]
    [InlineData("unknown", "That button no longer does anything.")]
    [InlineData("wrong", "That button does not belong to this request.")]
    public void Describe_DecisionRefusals_SaysEachAsBefore(string kind, string expected)
    {
        DecisionRefusal refusal = kind switch
        {
            "already" => new DecisionRefusal.AlreadyAnswered(DecisionStatus.Confirmed, "carol"),
            "race" => new DecisionRefusal.AlreadyAnswered(DecisionStatus.Cancelled, null),
            "expired" => new DecisionRefusal.Expired(TimeSpan.FromSeconds(70)),
            "requester" => new DecisionRefusal.NotRequester("carol"),
            "own" => new DecisionRefusal.OwnRequest("ops"),
            "role" => new DecisionRefusal.MissingRole("ops"),
            "unknown" => new DecisionRefusal.Unknown(),
            _ => new DecisionRefusal.NotThisRequest(),
        };

        Assert.Equal(expected, RunWording.Describe(refusal));
    }
}
