using ChatOps.Bot.Conversations;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class DecisionFormatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero);

    private static Decision Ask(DecisionKind kind, string verb = "sorry") =>
        new(3, 7, kind, verb, "prod", "webchat:alice", "alice", kind == DecisionKind.Approve ? "ops" : null, "Will do it.", DecisionStatus.Pending, null, Now, Now.AddMinutes(5), new ChatDestination("slack", "C1"));

    [Fact]
    public void Render_ConfirmSomethingThatRestores_ConfirmIsNotDanger()
    {
        var message = DecisionFormatter.Render(Ask(DecisionKind.Confirm), TestCatalog.Kinds, Now, destructive: false);

        Assert.Equal(ButtonStyle.Primary, message.Buttons.Single(b => b.ActionId == "confirm:3").Style);
    }

    [Fact]
    public void Render_ConfirmSomethingDestructive_ConfirmIsDanger()
    {
        var message = DecisionFormatter.Render(Ask(DecisionKind.Confirm, "destroy"), TestCatalog.Kinds, Now);

        Assert.Equal(ButtonStyle.Danger, message.Buttons.Single(b => b.ActionId == "confirm:3").Style);
    }

    [Fact]
    public void Render_ApprovalWithApprovers_MentionsThem()
    {
        var message = DecisionFormatter.Render(Ask(DecisionKind.Approve), TestCatalog.Kinds, Now, approvers: ["<@U0BOB>", "<@U0DAN>"]);

        Assert.Contains("Another member of *ops* must approve within 5 minutes: <@U0BOB>, <@U0DAN>.", message.Text);
    }
}
