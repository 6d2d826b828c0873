using ChatOps.Bot.Conversations;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Conversations;

/// <summary>Pending "which environment?" questions in a real SQLite file; a new instance stands for a restart.</summary>
public sealed class ClarificationsTests : IAsyncLifetime
{
    private TestState _state = null!;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    private Clarifications Create() => new(_state.Database, _state.Time);

    [Fact]
    public async Task TakeAsync_AfterARestart_ReturnsTheQuestionOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await Create().AskAsync("webchat:ops|carol", "/env up", ct);

        var restarted = Create();
        var first = await restarted.TakeAsync("webchat:ops|carol", ct);
        var second = await restarted.TakeAsync("webchat:ops|carol", ct);

        Assert.Equal("/env up", first);
        Assert.Null(second);
    }

    [Fact]
    public async Task TakeAsync_NothingPending_WritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await Create().AskAsync("webchat:ops|dave", "/env halt", ct);
        // A store of its own over the same file, so the outbox's background work is not counted.
        var store = await TestStateStores.Of(_state.Root).GetAsync();
        await using var database = new StateDatabase(Options.Create(store.Options()), [], new TestHostEnvironment(_state.Root));
        var sut = new Clarifications(database, _state.Time);

        Assert.Null(await sut.TakeAsync("webchat:ops|carol", ct));
        Assert.Equal(0, database.CommittedWrites);
        Assert.Equal("/env halt", await sut.TakeAsync("webchat:ops|dave", ct));
        Assert.Equal(1, database.CommittedWrites);
    }

    [Fact]
    public async Task AskAsync_AskedAgain_ReplacesTheEarlierQuestionAndKeepsOthers()
    {
        var ct = TestContext.Current.CancellationToken;
        var sut = Create();
        await sut.AskAsync("webchat:ops|carol", "/env up", ct);
        await sut.AskAsync("webchat:ops|dave", "/env halt", ct);
        await sut.AskAsync("webchat:ops|carol", "/env status", ct);

        Assert.Equal("/env status", await sut.TakeAsync("webchat:ops|carol", ct));
        Assert.Equal("/env halt", await sut.TakeAsync("webchat:ops|dave", ct));
    }

    [Fact]
    public async Task TakeAsync_PastItsLifetime_ReturnsNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var sut = Create();
        await sut.AskAsync("webchat:ops|carol", "/env up", ct);
        await sut.AskAsync("webchat:ops|dave", "/env halt", ct);
        _state.Time.Advance(Clarifications.Lifetime - TimeSpan.FromSeconds(1));
        var justInTime = await sut.TakeAsync("webchat:ops|dave", ct);
        _state.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("/env halt", justInTime);
        Assert.Null(await sut.TakeAsync("webchat:ops|carol", ct));
    }

    [Fact]
    public async Task AskAsync_ExpiredQuestions_AreDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var sut = Create();
        await sut.AskAsync("webchat:ops|carol", "/env up", ct);
        _state.Time.Advance(Clarifications.Lifetime);
        await sut.AskAsync("webchat:ops|dave", "/env halt", ct);

        var rows = await _state.Database.ReadAsync(async c => (long)(await c.ScalarAsync("SELECT COUNT(*) FROM clarifications", null, ct))!, ct);

        Assert.Equal(1, rows);
    }
}
