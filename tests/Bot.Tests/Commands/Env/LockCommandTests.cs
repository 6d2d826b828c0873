using ChatOps.Bot.Commands;
using ChatOps.Bot.Commands.Env;
using ChatOps.Bot.Workflows;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Commands.Env;

/// <summary><c>/env lock</c> and <c>/env unlock</c> over the real lock store and audit trail.</summary>
public sealed class LockCommandTests : IAsyncLifetime
{
    private EnvCommandKit _kit = null!;

    public async ValueTask InitializeAsync() => _kit = await EnvCommandKit.CreateAsync();

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    private LockCommand CreateSut() => new(_kit.State.Locks, _kit.State.Audit, Options.Create(new WorkflowOptions()), _kit.State.Time);

    private UnlockCommand Unlock() => new(_kit.State.Locks, _kit.State.Audit, _kit.State.Time);

    [Fact]
    public async Task ExecuteAsync_Free_HoldsItAndSaysHowToUnlock()
    {
        var result = await CreateSut().ExecuteAsync(_kit.Context("/env lock test big demo", EnvCommandKit.Bob), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.EndsWith(": big demo. Others' runs are refused until you `/env unlock test`.", result.Reply!.Text, StringComparison.Ordinal);
        Assert.Equal("bob", (await _kit.State.Locks.GetAsync("test", TestContext.Current.CancellationToken))!.HolderName);
    }

    [Fact]
    public async Task ExecuteAsync_HeldBySomeoneElse_RefusesNamingThem()
    {
        await CreateSut().ExecuteAsync(_kit.Context("/env lock test", EnvCommandKit.Bob), TestContext.Current.CancellationToken);

        var result = await CreateSut().ExecuteAsync(_kit.Context("/env lock test"), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Refused, result.Error);
        Assert.StartsWith("*test* is locked by bob", result.Reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlock_SomeoneElsesLockWithoutTheRole_RefusesAndKeepsIt()
    {
        await CreateSut().ExecuteAsync(_kit.Context("/env lock test"), TestContext.Current.CancellationToken);

        var result = await Unlock().ExecuteAsync(_kit.Context("/env unlock test", EnvCommandKit.Bob), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Unauthorized, result.Error);
        Assert.NotNull(await _kit.State.Locks.GetAsync("test", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Unlock_Own_Releases()
    {
        await CreateSut().ExecuteAsync(_kit.Context("/env lock test", EnvCommandKit.Bob), TestContext.Current.CancellationToken);

        var result = await Unlock().ExecuteAsync(_kit.Context("/env unlock test", EnvCommandKit.Bob), TestContext.Current.CancellationToken);

        Assert.Equal("🔓 *test* is unlocked.", result.Reply!.Text);
        Assert.Null(await _kit.State.Locks.GetAsync("test", TestContext.Current.CancellationToken));
    }
}
