using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;
using ChatOps.TestCommon;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class WorkflowEngineTests : IAsyncLifetime
{
    private static readonly Principal Alice = new("webchat:alice", "alice", new HashSet<string> { "member" });
    private readonly FakeProvider _provider = new();
    private readonly List<WorkflowEngine> _engines = [];
    private TestState _state = null!;
    private EnvironmentCatalog _catalog = null!;

    public async ValueTask InitializeAsync()
    {
        _state = await TestState.CreateAsync();
        _catalog = TestState.FakeCatalog();
    }

    public async ValueTask DisposeAsync()
    {
        // Runs execute in the background; each engine waits for its runs before the database goes.
        foreach (var engine in _engines)
        {
            await engine.StopAsync(TestContext.Current.CancellationToken);
        }

        await _state.DisposeAsync();
    }

    private WorkflowEngine CreateSut(TimeSpan? timeout = null)
    {
        var engine = Engines.Create(_state, _catalog, _provider, new WorkflowOptions { RunTimeout = timeout ?? TimeSpan.FromMinutes(10) });
        _engines.Add(engine);
        return engine;
    }

    private RunRequest Request(InfraVerb verb = InfraVerb.Up, RiskTier risk = RiskTier.None) =>
        new(_catalog.Find("test")!, TestCatalog.Kinds.All.Single(k => k.Operation == verb), new NodeRunArguments(verb), Alice, new ChatDestination("webchat", "ops"), risk, "preview");

    private async Task<RunRecord> FinishedRunAsync()
    {
        return await Wait.ForAsync(
            async () => (await _state.Runs.ListAsync("test", 1, TestContext.Current.CancellationToken)).Single() is { IsFinished: true } run ? run : null,
            "the run to finish");
    }

    [Fact]
    public async Task RequestAsync_NoRisk_RunsAndEditsOneMessage()
    {
        var sut = CreateSut();

        Assert.IsType<RunRequestResult.Started>(await sut.RequestAsync(Request(), TestContext.Current.CancellationToken));
        var run = await FinishedRunAsync();

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Null(await _state.Runs.GetLeaseAsync("test", TestContext.Current.CancellationToken));
        var id = await _state.MessageIdAsync(run.Id);
        await Wait.UntilAsync(() => _state.Chat.Versions(id)[^1].Text.Contains("*test* is up", StringComparison.Ordinal), "the final state");
        Assert.Equal([id], _state.Chat.Posts.Where(p => p.ThreadOf is null).Select(p => p.Id));
        Assert.Empty(_state.Chat.Versions(id)[^1].Buttons);
    }

    [Fact]
    public async Task RequestAsync_Confirm_AsksAndDoesNotRun()
    {
        var sut = CreateSut();

        await sut.RequestAsync(Request(InfraVerb.Halt, RiskTier.Confirm), TestContext.Current.CancellationToken);

        var run = (await _state.Runs.ListAsync("test", 1, TestContext.Current.CancellationToken)).Single();
        Assert.Equal(RunStatus.AwaitingConfirmation, run.Status);
        Assert.Equal(0, _provider.Runs);
        Assert.Null(await _state.Runs.GetLeaseAsync("test", TestContext.Current.CancellationToken));
        var prompt = _state.Chat.Versions(await _state.MessageIdAsync(run.Id))[^1];
        Assert.Contains(prompt.Buttons, b => b.ActionId.StartsWith("confirm:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_PastTimeout_IsTimedOutAndReleasesLease()
    {
        _provider.Behaviour = (_, ct) => Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
        var sut = CreateSut(TimeSpan.FromMinutes(1));

        await sut.RequestAsync(Request(), TestContext.Current.CancellationToken);
        await Wait.ForAsync(_provider.Entered, "the run to reach the provider");
        _state.Time.Advance(TimeSpan.FromMinutes(2));
        var run = await FinishedRunAsync();

        Assert.Equal(RunStatus.TimedOut, run.Status);
        Assert.Contains("stopped after 1 minute", run.Result);
        Assert.Null(await _state.Runs.GetLeaseAsync("test", TestContext.Current.CancellationToken));
        Assert.Equal(StepState.Failed, run.Steps[0].State);
    }

    [Fact]
    public async Task Cancel_RunningRun_IsCancelledByName()
    {
        _provider.Behaviour = (_, ct) => Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
        var sut = CreateSut();
        await sut.RequestAsync(Request(), TestContext.Current.CancellationToken);
        await Wait.ForAsync(_provider.Entered, "the run to reach the provider");

        Assert.True(sut.Cancel("test", "bob"));
        var run = await FinishedRunAsync();

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("cancelled by bob", run.Result);
        // The record is final before the run has queued its last messages and left the engine.
        await Wait.UntilAsync(() => !sut.IsActive(run.Id), "the run to leave the engine");
        Assert.False(sut.Cancel("test", "bob"));
    }

    [Fact]
    public async Task Run_ProviderFails_KeepsReasonAndLastOutput()
    {
        _provider.Behaviour = (progress, _) =>
        {
            progress.Output("terraform: planning");
            throw new ProviderException("exit code 1", ["Error: quota exceeded"]);
        };
        var sut = CreateSut();

        await sut.RequestAsync(Request(), TestContext.Current.CancellationToken);
        var run = await FinishedRunAsync();

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("exit code 1", run.Result);
        Assert.Equal(["terraform: planning", "Error: quota exceeded"], run.OutputTail);
        var id = await _state.MessageIdAsync(run.Id);
        await Wait.UntilAsync(() => _state.Chat.Posts.Any(p => p.ThreadOf == id), "the output in the run's thread");
        Assert.Contains("Error: quota exceeded", _state.Chat.Versions(_state.Chat.Posts.Single(p => p.ThreadOf == id).Id)[0].Text);
        Assert.Null(await _state.Runs.GetLeaseAsync("test", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RequestAsync_WhileRunning_IsRefusedInWords()
    {
        _provider.Behaviour = (_, ct) => Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
        var sut = CreateSut();
        await sut.RequestAsync(Request(), TestContext.Current.CancellationToken);
        await Wait.ForAsync(_provider.Entered, "the run to reach the provider");
        // Less than the lease duration, so the lease is still held however late its renewal runs.
        _state.Time.Advance(TimeSpan.FromSeconds(90));

        var refusal = Engines.Reply(await sut.RequestAsync(Request(InfraVerb.Provision), TestContext.Current.CancellationToken));

        Assert.Equal("alice has been bringing test up for 1 minute (run 1).", refusal);
        sut.Cancel("test", "alice");
        await FinishedRunAsync();
    }

    [Fact]
    public async Task Run_PlatformSlowerThanProgress_OneMessageEditedInOrderEndsInFinalState()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _provider.Behaviour = (progress, ct) =>
        {
            progress.Output("working");
            return release.Task.WaitAsync(ct);
        };
        var sut = CreateSut();
        await sut.RequestAsync(Request(), TestContext.Current.CancellationToken);
        await Wait.ForAsync(_provider.Entered, "the run to reach the provider");
        var id = await _state.MessageIdAsync(1);
        _state.Chat.HoldEdits();

        // Progress reports pile up behind a platform that has not acknowledged the first edit. The clock moves
        // by progress intervals only, far less than the outbox's send timeout, so the held edit is not given up.
        _state.Time.Advance(TimeSpan.FromSeconds(1));
        await Wait.UntilAsync(() => _state.Chat.EditsStarted == 1, "the first progress edit to be on its way");
        for (var tick = 0; tick < 3; tick++)
        {
            _state.Time.Advance(TimeSpan.FromSeconds(1));
        }

        release.SetResult();
        var run = await FinishedRunAsync();
        _state.Chat.Open();
        await Wait.UntilAsync(() => _state.Chat.Versions(id)[^1].Text.Contains("*test* is up", StringComparison.Ordinal), "the final state");

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal([id], _state.Chat.Posts.Where(p => p.ThreadOf is null).Select(p => p.Id));
        var headlines = _state.Chat.Versions(id).Select(v => v.Text.Split('\n')[0]).ToList();
        // Every version before the last shows the run still going; nothing older arrives after the final state.
        Assert.All(headlines[..^1], h => Assert.StartsWith("⏳", h, StringComparison.Ordinal));
        Assert.StartsWith("✅", headlines[^1], StringComparison.Ordinal);
        Assert.Contains(_state.Chat.Posts, p => p.ThreadOf == id && _state.Chat.Versions(p.Id)[0].Text == "working");
    }
}
