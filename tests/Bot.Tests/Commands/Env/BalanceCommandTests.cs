using ChatOps.Bot.Commands;
using ChatOps.Bot.Commands.Env;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Tests.Commands.Env;

public sealed class BalanceCommandTests : IAsyncLifetime
{
    private EnvCommandKit _kit = null!;

    public async ValueTask InitializeAsync() => _kit = await EnvCommandKit.CreateAsync();

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    private BalanceCommand CreateSut() => new(_kit.LoadBalancer, _kit.Engine);

    [Fact]
    public async Task ExecuteAsync_Weights_ReachTheLoadBalancerAsTypedAndAreStoredAsBefore()
    {
        var result = await CreateSut().ExecuteAsync(_kit.Context("/env balance test web1=80 web2=20"), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Reply?.Text);
        var run = await _kit.FinishedRunAsync("test");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var set = Assert.Single(_kit.LoadBalancer.WeightChanges);
        Assert.Equal(80, set["web1"]);
        Assert.Equal(20, set["web2"]);
        // The runs table keeps the form a database written by earlier versions holds.
        Assert.Equal("web1=80,web2=20", run.Arguments["weights"]);
        Assert.Equal("Set weights web1=80, web2=20", Assert.Single(run.Steps).Name);
    }

    [Fact]
    public async Task ExecuteAsync_NoWeights_SetsEveryServerEven()
    {
        await CreateSut().ExecuteAsync(_kit.Context("/env balance test"), TestContext.Current.CancellationToken);

        await _kit.FinishedRunAsync("test");
        var set = Assert.Single(_kit.LoadBalancer.WeightChanges);
        Assert.Equal(new Dictionary<string, int> { ["web1"] = BalanceCommand.EvenWeight, ["web2"] = BalanceCommand.EvenWeight }, set);
    }

    [Fact]
    public async Task ExecuteAsync_Confirmed_RunsWithTheWeightsReadBackFromTheRunsTable()
    {
        await CreateSut().ExecuteAsync(_kit.Context("/env balance prod web1=0"), TestContext.Current.CancellationToken);
        Assert.Empty(_kit.LoadBalancer.WeightChanges);
        var pending = await _kit.State.Decisions.FindPendingConfirmationAsync(EnvCommandKit.Alice.Id, EnvCommandKit.Ops, "prod", TestContext.Current.CancellationToken);

        Assert.Null(await _kit.AnswerAsync("confirm", pending!.Id, EnvCommandKit.Alice));

        Assert.Equal(RunStatus.Succeeded, (await _kit.FinishedRunAsync("prod")).Status);
        Assert.Equal(new Dictionary<string, int> { ["web1"] = 0 }, Assert.Single(_kit.LoadBalancer.WeightChanges));
    }

    [Fact]
    public async Task ExecuteAsync_UnknownServer_RefusesNamingTheServersAndStartsNothing()
    {
        var result = await CreateSut().ExecuteAsync(_kit.Context("/env balance test web9=10"), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Refused, result.Error);
        Assert.Equal("*test* has no server `web9`. Servers: `web1`, `web2`.", result.Reply!.Text);
        Assert.Empty(await _kit.State.Runs.ListAsync("test", 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ExecuteAsync_NoLoadBalancerConfigured_RefusesSayingSo()
    {
        var result = await CreateSut().ExecuteAsync(_kit.Context("/env balance dev"), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Refused, result.Error);
        Assert.Equal("*dev* has no load balancer configured, so `balance` cannot act on it.", result.Reply!.Text);
        Assert.Empty(await _kit.State.Runs.ListAsync("dev", 10, TestContext.Current.CancellationToken));
    }
}
