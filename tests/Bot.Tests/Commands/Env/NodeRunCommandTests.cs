using ChatOps.Bot.Commands;
using ChatOps.Bot.Commands.Env;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Commands.Env;

/// <summary><c>up</c>, <c>provision</c>, <c>halt</c>, <c>destroy</c>: refusals from the environment's state, and the typed request each makes.</summary>
public sealed class NodeRunCommandTests : IAsyncLifetime
{
    private EnvCommandKit _kit = null!;

    public async ValueTask InitializeAsync() => _kit = await EnvCommandKit.CreateAsync();

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    private static EnvironmentObservation Running(string? version = "7") =>
        new(ObservedState.Up, [new NodeObservation("web1", NodeHealth.Healthy, new Uri("http://127.0.0.1:9001/"), version)]);

    [Fact]
    public async Task Up_AlreadyUp_RefusesPointingToProvision()
    {
        _kit.Provider.Observation = Running();

        var result = await new UpCommand(_kit.Snapshots, _kit.Engine).ExecuteAsync(_kit.Context("/env up dev"), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Refused, result.Error);
        Assert.Equal("*dev* is already up: every node is healthy. Use `provision` to deploy a version.", result.Reply!.Text);
        Assert.Equal(0, _kit.Provider.Runs);
    }

    [Fact]
    public async Task Up_Halted_RunsTheProviderAndSaysItIsUp()
    {
        _kit.Provider.Observation = new(ObservedState.Halted, []);

        var result = await new UpCommand(_kit.Snapshots, _kit.Engine).ExecuteAsync(_kit.Context("bring up dev"), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Reply?.Text);
        var run = await _kit.FinishedRunAsync("dev");
        Assert.Equal((UpCommand.Definition.Name, RunStatus.Succeeded), (run.Verb, run.Status));
        Assert.Equal("*dev* is up", RunWording.Outcome(run, TestCatalog.Kinds));
        Assert.Equal(1, _kit.Provider.Runs);
    }

    [Fact]
    public async Task Provision_WithoutVersion_RedeploysTheVersionTheNodesRun()
    {
        _kit.Provider.Observation = Running("1.4.2");

        await new ProvisionCommand(_kit.Snapshots, _kit.Engine).ExecuteAsync(_kit.Context("/env provision dev"), TestContext.Current.CancellationToken);

        var run = await _kit.FinishedRunAsync("dev");
        Assert.Equal(new Dictionary<string, string> { ["version"] = "1.4.2" }, run.Arguments);
        Assert.Equal("*dev* runs version `1.4.2`", RunWording.Outcome(run, TestCatalog.Kinds));
    }

    [Fact]
    public async Task Provision_NothingDeployedYet_DeploysTheInitialVersion()
    {
        await new ProvisionCommand(_kit.Snapshots, _kit.Engine).ExecuteAsync(_kit.Context("deploy to dev"), TestContext.Current.CancellationToken);

        var run = await _kit.FinishedRunAsync("dev");
        Assert.Equal(ProvisionCommand.InitialVersion, run.Arguments["version"]);
    }

    [Theory]
    [InlineData(ObservedState.Halted, "halted")]
    [InlineData(ObservedState.Unknown, "unknown")]
    public async Task Halt_NotRunning_RefusesSayingWhatItIs(ObservedState state, string shown)
    {
        _kit.Provider.Observation = new(state, []);

        var result = await new HaltCommand(_kit.Snapshots, _kit.Engine).ExecuteAsync(_kit.Context("/env halt dev"), TestContext.Current.CancellationToken);

        Assert.Equal($"*dev* is not running ({shown}), so there is nothing to halt.", result.Reply!.Text);
        Assert.Empty(await _kit.State.Runs.ListAsync("dev", 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Destroy_AlreadyDestroyed_Refuses()
    {
        _kit.Provider.Observation = new(ObservedState.Destroyed, []);

        var result = await new DestroyCommand(_kit.Snapshots, _kit.Engine).ExecuteAsync(_kit.Context("tear dev down"), TestContext.Current.CancellationToken);

        Assert.Equal("*dev* is already destroyed.", result.Reply!.Text);
    }

    [Fact]
    public async Task Halt_OnProd_AsksToConfirmWithThePreviewAndRunsNothingYet()
    {
        _kit.Provider.Observation = Running();

        var result = await new HaltCommand(_kit.Snapshots, _kit.Engine).ExecuteAsync(_kit.Context("/env halt prod"), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Reply?.Text);
        var run = Assert.Single(await _kit.State.Runs.ListAsync("prod", 10, TestContext.Current.CancellationToken));
        Assert.Equal((HaltCommand.Definition.Name, RunStatus.AwaitingConfirmation), (run.Verb, run.Status));
        Assert.Equal(0, _kit.Provider.Runs);
    }
}
