using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>A run's message through the real outbox and its dispatcher, delivered to a recording platform.</summary>
public sealed class RunMessagesTests : IAsyncLifetime
{
    private static readonly ChatDestination Ops = new("webchat", "ops");
    private TestState _state = null!;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    private RunMessages CreateSut() => _state.Messages;

    [Fact]
    public async Task ShowAsync_EditsWhileThePlatformIsSlow_ArriveInOrderAndTheNewestWins()
    {
        var sut = CreateSut();
        var ct = TestContext.Current.CancellationToken;
        await sut.ShowAsync(7, Ops, OutgoingMessage.Plain("v0"), ct);
        var id = await _state.MessageIdAsync(7);
        _state.Chat.HoldEdits();

        await sut.ShowAsync(7, Ops, OutgoingMessage.Plain("v1"), ct);
        await Wait.UntilAsync(() => _state.Chat.EditsStarted == 1, "the first edit to be on its way");
        for (var version = 2; version <= 20; version++)
        {
            await sut.ShowAsync(7, Ops, OutgoingMessage.Plain($"v{version}"), ct);
        }

        _state.Chat.Open();
        await Wait.UntilAsync(() => _state.Chat.Versions(id)[^1].Text == "v20", "the newest version");

        // v2…v19 were replaced while v1 was on its way: only the newest content follows it.
        Assert.Equal(["v0", "v1", "v20"], _state.Chat.Versions(id).Select(v => v.Text));
        Assert.Single(_state.Chat.Posts);
    }

    [Fact]
    public async Task ShowAsync_Twice_PostsOneMessageShowingTheNewest()
    {
        var sut = CreateSut();

        await sut.ShowAsync(3, Ops, OutgoingMessage.Plain("asking"), TestContext.Current.CancellationToken);
        await sut.ShowAsync(3, Ops, OutgoingMessage.Plain("running"), TestContext.Current.CancellationToken);
        var id = await _state.MessageIdAsync(3);

        await Wait.UntilAsync(() => _state.Chat.Versions(id)[^1].Text == "running", "the newer content");
        Assert.Single(_state.Chat.Posts);
    }

    [Fact]
    public async Task PostOutputAsync_BeforeTheRunMessage_WaitsAndGoesInItsThread()
    {
        var sut = CreateSut();

        await sut.PostOutputAsync(5, 1, Ops, ["line one", "line two"], TestContext.Current.CancellationToken);
        await sut.ShowAsync(5, Ops, OutgoingMessage.Plain("progress"), TestContext.Current.CancellationToken);
        var id = await _state.MessageIdAsync(5);

        await Wait.UntilAsync(() => _state.Chat.Posts.Count == 2, "the output");
        var reply = _state.Chat.Posts.Single(p => p.ThreadOf is not null);
        Assert.Equal(id, reply.ThreadOf);
        Assert.Equal("line one\nline two", _state.Chat.Versions(reply.Id)[0].Text);
    }

    [Fact]
    public async Task ShowAsync_UnderABurst_IsNeverMergedIntoADigest()
    {
        await using var state = await TestState.CreateAsync(new Dictionary<string, string?>
        {
            ["Limits:webchat:TokenInterval"] = "00:30:00",
            ["Limits:webchat:Burst"] = "1",
            ["DigestThreshold"] = "2",
        });
        var ct = TestContext.Current.CancellationToken;
        // The only token goes to this post; everything after waits for budget.
        await state.Outbox.EnqueuePostAsync("first", Ops, OutgoingMessage.Plain("first"), cancellationToken: ct);
        await Wait.UntilAsync(() => state.Chat.Posts.Count == 1, "the first post");

        await state.Messages.ShowAsync(9, Ops, OutgoingMessage.Plain("progress"), ct);
        for (var i = 0; i < 4; i++)
        {
            await state.Outbox.EnqueuePostAsync($"alert:{i}", Ops, OutgoingMessage.Plain($"alert {i}"), digestAs: "alert", cancellationToken: ct);
        }

        var rows = new List<(string Key, string? DigestedInto)>();
        await Wait.UntilAsync(async () =>
        {
            rows = await state.Database.ReadAsync(c => c.QueryAsync("SELECT key, digested_into FROM chat_outbox", null,
                r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), ct), ct);
            return rows.Count(r => r.DigestedInto is not null) == 4;
        }, "the alerts to be merged");
        Assert.Null(rows.Single(r => r.Key == RunMessages.Key(9)).DigestedInto);
    }
}
