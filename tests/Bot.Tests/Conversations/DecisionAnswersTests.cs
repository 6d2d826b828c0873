using ChatOps.Bot.Conversations;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Tests.Conversations;

/// <summary>Answers are recorded on the decision alone: no run is needed, and none is touched.</summary>
public sealed class DecisionAnswersTests : IAsyncLifetime
{
    private static readonly Principal Carol = new("webchat:carol", "carol", new HashSet<string> { "member" });
    private static readonly Principal Alice = new("webchat:alice", "alice", new HashSet<string> { "member", "ops" });
    private static readonly ChatDestination Ops = new("webchat", "ops");
    private TestState _state = null!;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    private DecisionAnswers CreateSut() => new(_state.Decisions, _state.Time);

    private Task<Decision> AskAsync(DecisionKind kind, string? approverRole = null) =>
        _state.Decisions.CreateAsync(99, kind, "destroy", "dev", Carol.Id, Carol.DisplayName, approverRole, "Will destroy.", TimeSpan.FromMinutes(5), Ops,
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task PressAsync_Twice_RecordsTheFirstAndRefusesTheSecondAsAlreadyAnswered()
    {
        var decision = await AskAsync(DecisionKind.Confirm);
        var sut = CreateSut();

        var first = Assert.IsType<DecisionAnswer.Recorded>(await sut.PressAsync("confirm", decision.Id, Carol, TestContext.Current.CancellationToken));
        var second = Assert.IsType<DecisionAnswer.Refused>(await sut.PressAsync("cancel", decision.Id, Carol, TestContext.Current.CancellationToken));

        Assert.Equal((DecisionStatus.Confirmed, "carol"), (first.Decision.Status, first.Decision.AnsweredBy));
        Assert.Equal(new DecisionRefusal.AlreadyAnswered(DecisionStatus.Confirmed, "carol"), second.Refusal);
        Assert.Equal(DecisionStatus.Confirmed, (await _state.Decisions.GetAsync(decision.Id, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task PressAsync_SomeoneElseConfirms_IsRefusedAboutWhoAndStaysPending()
    {
        var decision = await AskAsync(DecisionKind.Confirm);

        var refused = Assert.IsType<DecisionAnswer.Refused>(await CreateSut().PressAsync("confirm", decision.Id, Alice, TestContext.Current.CancellationToken));

        Assert.Equal(new DecisionRefusal.NotRequester("carol"), refused.Refusal);
        Assert.True(refused.Refusal.AboutWhoAnswered);
        Assert.Equal(DecisionStatus.Pending, (await _state.Decisions.GetAsync(decision.Id, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task PressAsync_AfterExpiry_IsRefusedWithHowLongAgo()
    {
        var decision = await AskAsync(DecisionKind.Confirm);
        _state.Time.Advance(TimeSpan.FromMinutes(7));

        var refused = Assert.IsType<DecisionAnswer.Refused>(await CreateSut().PressAsync("confirm", decision.Id, Carol, TestContext.Current.CancellationToken));

        Assert.Equal(new DecisionRefusal.Expired(TimeSpan.FromMinutes(2)), refused.Refusal);
        Assert.False(refused.Refusal.AboutWhoAnswered);
    }

    [Fact]
    public async Task PressAsync_UnknownDecision_IsRefusedAsUnknown()
    {
        var refused = Assert.IsType<DecisionAnswer.Refused>(await CreateSut().PressAsync("confirm", 12345, Carol, TestContext.Current.CancellationToken));

        Assert.IsType<DecisionRefusal.Unknown>(refused.Refusal);
        Assert.Null(refused.Decision);
    }

    [Fact]
    public async Task ConfirmByNameAsync_NoPendingConfirmation_IsNull()
    {
        Assert.Null(await CreateSut().ConfirmByNameAsync("dev", Carol, Ops, TestContext.Current.CancellationToken));
    }
}
