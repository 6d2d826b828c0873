using ChatOps.Bot.Commands;
using ChatOps.Bot.Commands.Env;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Tests.Commands.Env;

/// <summary><c>/env cancel</c> and the Cancel button it declares.</summary>
public sealed class CancelCommandTests : IAsyncLifetime
{
    private EnvCommandKit _kit = null!;

    public async ValueTask InitializeAsync() => _kit = await EnvCommandKit.CreateAsync();

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    private CancelCommand CreateSut() => new(_kit.State.Runs, _kit.Engine, _kit.Environments, _kit.Permissions);

    /// <summary>Starts an <c>up</c> on dev that runs until cancelled.</summary>
    private async Task<RunRecord> RunningAsync()
    {
        _kit.Provider.Behaviour = (_, token) => Task.Delay(Timeout.Infinite, token);
        await new UpCommand(_kit.Snapshots, _kit.Engine).ExecuteAsync(_kit.Context("/env up dev", EnvCommandKit.Bob), TestContext.Current.CancellationToken);
        await ChatOps.TestCommon.Wait.ForAsync(_kit.Provider.Entered, "the run to start");
        return (await _kit.State.Runs.ListAsync("dev", 1, TestContext.Current.CancellationToken)).Single();
    }

    private static ButtonPress Press(RunRecord run, ChatOps.Bot.Identity.Principal who) =>
        new(new ChatAction(EnvCommandKit.Ops, new ChatUser("webchat", who.DisplayName), "m1", ProgressFormatter.CancelActionId(run.Id), "d1"), who, run.Id);

    [Fact]
    public void Definition_DeclaresTheRunMessagesCancelButton() =>
        Assert.Equal([ProgressFormatter.CancelActionPrefix], CancelCommand.Definition.Buttons);

    [Fact]
    public async Task ExecuteAsync_NothingRunning_RefusesSayingSo()
    {
        var result = await CreateSut().ExecuteAsync(_kit.Context("/env cancel dev"), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Refused, result.Error);
        Assert.Equal("Nothing is running on *dev*.", result.Reply!.Text);
    }

    [Fact]
    public async Task PressAsync_ByRequester_CancelsTheRun()
    {
        var run = await RunningAsync();

        Assert.Equal(CommandResult.Ok(), await CreateSut().PressAsync(Press(run, EnvCommandKit.Bob), TestContext.Current.CancellationToken));

        Assert.Equal(RunStatus.Cancelled, (await _kit.FinishedRunAsync("dev")).Status);
    }

    [Fact]
    public async Task PressAsync_FinishedRun_SaysItIsNoLongerRunning()
    {
        var run = await RunningAsync();
        await CreateSut().ExecuteAsync(_kit.Context("/env cancel dev"), TestContext.Current.CancellationToken);
        await _kit.FinishedRunAsync("dev");

        var result = await CreateSut().PressAsync(Press(run, EnvCommandKit.Bob), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Refused, result.Error);
        Assert.Equal("That run is no longer running.", result.Reply!.Text);
    }

    [Fact]
    public async Task CarrierAsync_Run_IsTheRunsOneMessageWhereItWasAsked()
    {
        var run = await RunningAsync();

        var carrier = await CreateSut().CarrierAsync(Press(run, EnvCommandKit.Bob).Action, run.Id, TestContext.Current.CancellationToken);

        Assert.Equal((RunMessages.Key(run.Id), EnvCommandKit.Ops), carrier);
    }

    [Fact]
    public async Task CarrierAsync_NoSuchRun_IsNothing()
    {
        var carrier = await CreateSut().CarrierAsync(new ChatAction(EnvCommandKit.Ops, new ChatUser("webchat", "bob"), "m1", "cancel-run:99", "d1"), 99, TestContext.Current.CancellationToken);

        Assert.Equal((null, null), carrier);
    }
}
