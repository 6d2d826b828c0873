using ChatOps.Bot.Commands;
using ChatOps.Bot.Commands.Env;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure.HaProxy;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Commands.Env;

public sealed class SorryCommandTests : IAsyncLifetime
{
    private EnvCommandKit _kit = null!;

    public async ValueTask InitializeAsync() => _kit = await EnvCommandKit.CreateAsync();

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    private SorryCommand CreateSut() => new(_kit.LoadBalancer, _kit.Engine, Options.Create(new HaProxyOptions()));

    [Fact]
    public async Task ExecuteAsync_OnWithMessage_ShowsThePageWithIt()
    {
        var result = await CreateSut().ExecuteAsync(_kit.Context("/env sorry test on message=\"Back at 9pm\""), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Reply?.Text);
        var run = await _kit.FinishedRunAsync("test");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal((true, "Back at 9pm"), Assert.Single(_kit.LoadBalancer.SorryChanges));
        Assert.Equal(new Dictionary<string, string> { ["state"] = "on", ["message"] = "Back at 9pm" }, run.Arguments);
    }

    [Fact]
    public async Task ExecuteAsync_PhraseTakeOut_BringsTheServersBack()
    {
        _kit.LoadBalancer.Sorry = true;

        await CreateSut().ExecuteAsync(_kit.Context("take test out of sorry mode"), TestContext.Current.CancellationToken);

        await _kit.FinishedRunAsync("test");
        Assert.Equal((false, null), Assert.Single(_kit.LoadBalancer.SorryChanges));
    }

    [Fact]
    public async Task ExecuteAsync_OffWhenNotOn_RefusesAndStartsNothing()
    {
        var result = await CreateSut().ExecuteAsync(_kit.Context("/env sorry test off"), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Refused, result.Error);
        Assert.Equal("The sorry page of *test* is not on.", result.Reply!.Text);
        Assert.Empty(await _kit.State.Runs.ListAsync("test", 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Bind_ParsedOnAndMessage_IsTyped()
    {
        var arguments = SorryCommand.Bind(_kit.Context("/env sorry prod on message=\"Back soon\"").Invocation);

        Assert.Equal(new SorryArguments(true, "Back soon"), arguments);
    }
}
