using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;
using ChatOps.TestCommon;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>Answers to confirmations and approvals, through the engine that moves the run on: what is refused, what starts, what closes.</summary>
public sealed class WorkflowEngineAnswerTests : IAsyncLifetime
{
    private static readonly Principal Carol = new("webchat:carol", "carol", new HashSet<string> { "member" });
    private static readonly Principal Alice = new("webchat:alice", "alice", new HashSet<string> { "member", "ops" });
    private static readonly Principal Bob = new("webchat:bob", "bob", new HashSet<string> { "member", "ops" });
    private readonly FakeProvider _provider = new();
    private TestState _state = null!;
    private EnvironmentCatalog _catalog = null!;
    private WorkflowEngine _engine = null!;

    public async ValueTask InitializeAsync()
    {
        _state = await TestState.CreateAsync();
        _catalog = TestState.FakeCatalog();
        _engine = Engines.Create(_state, _catalog, _provider);
    }

    public async ValueTask DisposeAsync()
    {
        // Runs execute in the background; the engine waits for them before the database goes.
        await _engine.StopAsync(TestContext.Current.CancellationToken);
        await _state.DisposeAsync();
    }

    private WorkflowEngine CreateSut() => _engine;

    private async Task<Decision> AskAsync(string environment, Principal who, RiskTier risk)
    {
        await _engine.RequestAsync(new RunRequest(_catalog.Find(environment)!, TestCatalog.Kinds.Get("destroy"), new NodeRunArguments(InfraVerb.Destroy), who,
            new ChatDestination("webchat", "ops"), risk, "Will destroy."), TestContext.Current.CancellationToken);
        return (await _state.Decisions.FindPendingConfirmationAsync(who.Id, new ChatDestination("webchat", "ops"), environment, TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task PressAsync_Twice_SecondChangesNothingAndSaysWhy()
    {
        var decision = await AskAsync("dev", Carol, RiskTier.Confirm);
        var sut = CreateSut();

        Assert.Null(Engines.Reply(await sut.AnswerAsync("confirm", decision.Id, Carol, TestContext.Current.CancellationToken)));
        var second = Engines.Reply(await sut.AnswerAsync("confirm", decision.Id, Carol, TestContext.Current.CancellationToken));

        Assert.Equal("This request was already confirmed by carol; nothing changed.", second);
        await Wait.ForAsync(_provider.Entered, "the run to reach the provider");
        Assert.Single(await _state.Runs.ListAsync("dev", 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PressAsync_AfterExpiry_IsRefusedAndNothingRuns()
    {
        var decision = await AskAsync("dev", Carol, RiskTier.Confirm);
        _state.Time.Advance(TimeSpan.FromMinutes(6));

        var reply = Engines.Reply(await CreateSut().AnswerAsync("confirm", decision.Id, Carol, TestContext.Current.CancellationToken));

        Assert.StartsWith("This request expired 1 minute ago; nothing was done.", reply);
        Assert.Equal(0, _provider.Runs);
        Assert.Equal(RunStatus.AwaitingConfirmation, (await _state.Runs.GetAsync(decision.RunId, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task PressAsync_SomeoneElseConfirms_IsRefused()
    {
        var decision = await AskAsync("dev", Carol, RiskTier.Confirm);

        var reply = Engines.Reply(await CreateSut().AnswerAsync("confirm", decision.Id, Alice, TestContext.Current.CancellationToken));

        Assert.Equal("Only carol, who asked, can confirm or cancel this request.", reply);
        Assert.Equal(0, _provider.Runs);
    }

    [Fact]
    public async Task Approval_BySelf_IsRefused_ByAnotherOpsMember_Runs()
    {
        var confirm = await AskAsync("prod", Alice, RiskTier.Approve);
        var sut = CreateSut();
        await sut.AnswerAsync("confirm", confirm.Id, Alice, TestContext.Current.CancellationToken);
        var approval = (await _state.Decisions.GetAsync(confirm.Id + 1, TestContext.Current.CancellationToken))!;
        Assert.Equal(DecisionKind.Approve, approval.Kind);

        var self = Engines.Reply(await sut.AnswerAsync("approve", approval.Id, Alice, TestContext.Current.CancellationToken));
        var member = Engines.Reply(await sut.AnswerAsync("approve", approval.Id, Carol, TestContext.Current.CancellationToken));
        Assert.Equal(0, _provider.Runs);
        var other = Engines.Reply(await sut.AnswerAsync("approve", approval.Id, Bob, TestContext.Current.CancellationToken));

        Assert.Equal("You cannot approve your own request: another member of *ops* must.", self);
        Assert.Equal("Approving needs the *ops* role, which you do not have.", member);
        Assert.Null(other);
        await Wait.ForAsync(_provider.Entered, "the run to reach the provider");
        Assert.Equal("bob", (await _state.Runs.GetAsync(confirm.RunId, TestContext.Current.CancellationToken))!.ApprovedBy);
    }

    [Fact]
    public async Task Confirm_EnvironmentLockedSinceTheRequest_RefusesBeforeAskingForApproval()
    {
        var confirm = await AskAsync("prod", Alice, RiskTier.Approve);
        await _state.Locks.TakeAsync("prod", Carol.Id, Carol.DisplayName, "release check", TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        await CreateSut().AnswerAsync("confirm", confirm.Id, Alice, TestContext.Current.CancellationToken);

        Assert.Null(await _state.Decisions.GetAsync(confirm.Id + 1, TestContext.Current.CancellationToken));
        var run = (await _state.Runs.GetAsync(confirm.RunId, TestContext.Current.CancellationToken))!;
        Assert.Equal(RunStatus.Refused, run.Status);
        Assert.StartsWith("*prod* is locked by carol", run.Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_EnvironmentLockedBySomeoneElse_RefusesWithoutAConfirmation()
    {
        await _state.Locks.TakeAsync("dev", Alice.Id, Alice.DisplayName, null, TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        var refusal = Engines.Reply(await _engine.RequestAsync(new RunRequest(_catalog.Find("dev")!, TestCatalog.Kinds.Get("destroy"), new NodeRunArguments(InfraVerb.Destroy), Carol,
            new ChatDestination("webchat", "ops"), RiskTier.Confirm, "Will destroy."), TestContext.Current.CancellationToken));

        Assert.StartsWith("*dev* is locked by alice", refusal, StringComparison.Ordinal);
        Assert.Null(await _state.Decisions.FindPendingConfirmationAsync(Carol.Id, new ChatDestination("webchat", "ops"), "dev", TestContext.Current.CancellationToken));
        Assert.Empty(await _state.Runs.ListAsync("dev", 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Approval_BySameUserSpelledInAnotherCase_IsRefusedAndStaysPending()
    {
        // A principal built from a raw key, as stored before canonical forms: the comparison still sees one identity.
        var shouting = new Principal("webchat:ALICE", "ALICE", new HashSet<string> { "member", "ops" });
        var confirm = await AskAsync("prod", Alice, RiskTier.Approve);
        var sut = CreateSut();
        await sut.AnswerAsync("confirm", confirm.Id, Alice, TestContext.Current.CancellationToken);

        var self = Engines.Reply(await sut.AnswerAsync("approve", confirm.Id + 1, shouting, TestContext.Current.CancellationToken));

        Assert.Equal("You cannot approve your own request: another member of *ops* must.", self);
        Assert.Equal(DecisionStatus.Pending, (await _state.Decisions.GetAsync(confirm.Id + 1, TestContext.Current.CancellationToken))!.Status);
        Assert.Equal(0, _provider.Runs);
    }

    [Fact]
    public async Task PressAsync_WrongButtonForTheDecision_IsRefused()
    {
        var decision = await AskAsync("dev", Carol, RiskTier.Confirm);

        Assert.Equal("That button does not belong to this request.", Engines.Reply(await CreateSut().AnswerAsync("approve", decision.Id, Carol, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task ExpireDueAsync_UnansweredPastItsTimeout_ExpiresTheRunAndSaysSoOnItsMessage()
    {
        var decision = await AskAsync("dev", Carol, RiskTier.Confirm);
        await CreateSut().ExpireDueAsync(TestContext.Current.CancellationToken);
        Assert.Equal(RunStatus.AwaitingConfirmation, (await _state.Runs.GetAsync(decision.RunId, TestContext.Current.CancellationToken))!.Status);

        _state.Time.Advance(TimeSpan.FromMinutes(6));
        await CreateSut().ExpireDueAsync(TestContext.Current.CancellationToken);

        var run = (await _state.Runs.GetAsync(decision.RunId, TestContext.Current.CancellationToken))!;
        Assert.Equal((RunStatus.Expired, "nobody answered in time"), (run.Status, run.Result));
        Assert.Equal(DecisionStatus.Expired, (await _state.Decisions.GetAsync(decision.Id, TestContext.Current.CancellationToken))!.Status);
        var id = await _state.MessageIdAsync(decision.RunId);
        await Wait.UntilAsync(() => _state.Chat.Versions(id)[^1].Text.Contains("nobody answered in time, so nothing was done", StringComparison.Ordinal),
            "the expired prompt");
        Assert.Equal(0, _provider.Runs);
    }
}
