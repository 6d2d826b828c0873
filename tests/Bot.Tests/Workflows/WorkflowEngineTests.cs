using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class WorkflowEngineTests : IAsyncLifetime
{
    private static readonly Principal Alice = new("webchat:alice", "alice", new HashSet<string> { "member" });
    private readonly FakeProvider _provider = new();
    private readonly RecordingChatSender _chat = new();
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
        var engine = new WorkflowEngine(
        _state.Runs, _state.Decisions, new WorkflowRegistry([new ProviderWorkflow(new ComputeProviders([_provider]), new NoLoadBalancer())]), _catalog, new ChatSenders([_chat]), _state.Audit, [],
        Options.Create(new WorkflowOptions { RunTimeout = timeout ?? TimeSpan.FromMinutes(10) }), _state.Time, NullLogger<WorkflowEngine>.Instance);
        _engines.Add(engine);
        return engine;
    }

    private RunRequest Request(string verb = "up", RiskTier risk = RiskTier.None) =>
        new(_catalog.Find("test")!, verb, new Dictionary<string, string>(), Alice, new ChatDestination("webchat", "ops"), risk, "preview");

    private async Task<RunRecord> FinishedRunAsync()
    {
        // Real-time bound only so a broken engine fails the test instead of hanging it.
        for (var i = 0; i < 500; i++)
        {
            var run = (await _state.Runs.ListAsync("test", 1, TestContext.Current.CancellationToken)).Single();
            if (run.IsFinished)
            {
                return run;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The run did not finish.");
    }

    [Fact]
    public async Task RequestAsync_NoRisk_RunsAndEditsOneMessage()
    {
        var sut = CreateSut();

        Assert.Null(await sut.RequestAsync(Request(), TestContext.Current.CancellationToken));
        var run = await FinishedRunAsync();

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Null(await _state.Runs.GetLeaseAsync("test", TestContext.Current.CancellationToken));
        var topLevel = _chat.Posts.Where(p => p.ThreadOf is null).ToList();
        Assert.Single(topLevel);
        var final = _chat.Versions(topLevel[0].Id)[^1];
        Assert.Contains("*test* is up", final.Text);
        Assert.Empty(final.Buttons);
    }

    [Fact]
    public async Task RequestAsync_Confirm_AsksAndDoesNotRun()
    {
        var sut = CreateSut();

        await sut.RequestAsync(Request("halt", RiskTier.Confirm), TestContext.Current.CancellationToken);

        var run = (await _state.Runs.ListAsync("test", 1, TestContext.Current.CancellationToken)).Single();
        Assert.Equal(RunStatus.AwaitingConfirmation, run.Status);
        Assert.Equal(0, _provider.Runs);
        Assert.Null(await _state.Runs.GetLeaseAsync("test", TestContext.Current.CancellationToken));
        var prompt = _chat.Versions(run.MessageId!)[^1];
        Assert.Contains(prompt.Buttons, b => b.ActionId.StartsWith("confirm:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_PastTimeout_IsTimedOutAndReleasesLease()
    {
        _provider.Behaviour = (_, ct) => Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
        var sut = CreateSut(TimeSpan.FromMinutes(1));

        await sut.RequestAsync(Request(), TestContext.Current.CancellationToken);
        await _provider.Entered.WaitAsync(TestContext.Current.CancellationToken);
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
        await _provider.Entered.WaitAsync(TestContext.Current.CancellationToken);

        Assert.True(sut.Cancel("test", "bob"));
        var run = await FinishedRunAsync();

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("cancelled by bob", run.Result);
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
        Assert.Contains(_chat.Posts, p => p.ThreadOf == run.MessageId);
        Assert.Null(await _state.Runs.GetLeaseAsync("test", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RequestAsync_WhileRunning_IsRefusedInWords()
    {
        _provider.Behaviour = (_, ct) => Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
        var sut = CreateSut();
        await sut.RequestAsync(Request(), TestContext.Current.CancellationToken);
        await _provider.Entered.WaitAsync(TestContext.Current.CancellationToken);
        // Less than the lease duration, so the lease is still held however late its renewal runs.
        _state.Time.Advance(TimeSpan.FromSeconds(90));

        var refusal = await sut.RequestAsync(Request("provision"), TestContext.Current.CancellationToken);

        Assert.Equal("alice has been bringing test up for 1 minute (run 1).", refusal);
        sut.Cancel("test", "alice");
        await FinishedRunAsync();
    }
}
