using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Watch;

/// <summary>What the bot's own run records say an environment should be, read from a real state store.</summary>
public sealed class EnvironmentBeliefTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private TestState _state = null!;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    private static NewRun Run(string verb) =>
        new("test", verb, new Dictionary<string, string>(), "webchat:alice", "alice", new ChatDestination("webchat", "ops"), [new RunStep("Step", StepState.Pending)]);

    /// <summary>A run that took the lease, ran and ended as <paramref name="status"/>.</summary>
    private async Task<long> RanAsync(string verb, RunStatus status)
    {
        var acquired = Assert.IsType<LeaseOutcome.Acquired>(await _state.Runs.CreateWithLeaseAsync(Run(verb), Lease, TestContext.Current.CancellationToken));
        await _state.Runs.SaveProgressAsync(acquired.Run.Id, acquired.Token, RunStatus.Running, acquired.Run.Steps, [], TestContext.Current.CancellationToken);
        await _state.Runs.FinishAsync(acquired.Run.Id, acquired.Token, status, "done", acquired.Run.Steps, [], TestContext.Current.CancellationToken);
        return acquired.Run.Id;
    }

    private Task<EnvironmentBelief> ReadAsync() => EnvironmentBelief.ReadAsync(_state.Runs, TestCatalog.Kinds, "test", TestContext.Current.CancellationToken);

    [Fact]
    public async Task ReadAsync_LastNodeRunWasASuccessfulUp_IsUpDecidedByIt()
    {
        var up = await RanAsync("up", RunStatus.Succeeded);

        var belief = await ReadAsync();

        Assert.True(belief.Up);
        Assert.False(belief.Busy);
        Assert.Equal(up, belief.DecidingRun!.Id);
        Assert.Equal(up, belief.NewestRunId);
    }

    [Fact]
    public async Task ReadAsync_UpThenBalanceAndARefusedHalt_StillUpDecidedByTheUp()
    {
        var up = await RanAsync("up", RunStatus.Succeeded);
        await RanAsync("balance", RunStatus.Succeeded);
        var halt = await _state.Runs.CreateAwaitingAsync(Run("halt"), RunStatus.AwaitingConfirmation, TestContext.Current.CancellationToken);
        await _state.Runs.CloseAwaitingAsync(halt.Id, RunStatus.Refused, "locked", TestContext.Current.CancellationToken);

        var belief = await ReadAsync();

        Assert.True(belief.Up);
        Assert.Equal(up, belief.DecidingRun!.Id);
        Assert.Equal(halt.Id, belief.NewestRunId);
    }

    [Theory]
    [InlineData("halt", nameof(RunStatus.Succeeded))]
    [InlineData("up", nameof(RunStatus.Failed))]
    [InlineData("provision", nameof(RunStatus.Interrupted))]
    public async Task ReadAsync_LastNodeRunDidNotLeaveItUp_IsNotUp(string verb, string status)
    {
        await RanAsync("up", RunStatus.Succeeded);
        await RanAsync(verb, Enum.Parse<RunStatus>(status));

        Assert.False((await ReadAsync()).Up);
    }

    [Fact]
    public async Task ReadAsync_RunHoldingTheLease_IsBusy()
    {
        await RanAsync("up", RunStatus.Succeeded);
        Assert.IsType<LeaseOutcome.Acquired>(await _state.Runs.CreateWithLeaseAsync(Run("provision"), Lease, TestContext.Current.CancellationToken));

        Assert.True((await ReadAsync()).Busy);
    }

    [Fact]
    public async Task ReadAsync_NoRuns_IsNeitherUpNorBusy()
    {
        var belief = await ReadAsync();

        Assert.Equal((false, false, null, null), (belief.Busy, belief.Up, belief.DecidingRun, belief.NewestRunId));
    }
}
