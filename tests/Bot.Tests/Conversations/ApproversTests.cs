using ChatOps.Bot.Conversations;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Tests.Identity;

namespace ChatOps.Bot.Tests.Conversations;

public sealed class ApproversTests
{
    private static Approvers CreateSut() => new(new StaticIdentityMonitor(new IdentityOptions
    {
        Roles = { ["ops"] = ["webchat:alice", "webchat:Bob", "slack:U0BOB", "slack:u0dan"] },
        People = { ["bob"] = ["webchat:bob", "slack:U0BOB"] },
    }));

    [Fact]
    public void Mentions_Slack_MentionsEachPersonOnceWhereTheyHaveAnAccount()
    {
        var named = CreateSut().Mentions("ops", "webchat:alice", "slack");

        Assert.Equal(["<@U0BOB>", "<@U0DAN>"], named);
    }

    [Fact]
    public void Mentions_WebChat_NamesPeopleButNeverTheRequester()
    {
        var named = CreateSut().Mentions("ops", "person:bob", "webchat");

        Assert.Equal(["alice", "U0DAN"], named);
    }

    [Fact]
    public void Mentions_RoleNobodyHolds_IsEmpty()
    {
        Assert.Empty(CreateSut().Mentions("dba", "webchat:alice", "webchat"));
    }
}
