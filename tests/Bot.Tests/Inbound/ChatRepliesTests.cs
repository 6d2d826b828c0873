using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;
using ChatOps.TestCommon;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>Replies through the real outbox and its dispatcher, delivered to a recording platform.</summary>
public sealed class ChatRepliesTests : IAsyncLifetime
{
    private static readonly ChatDestination Ops = new("webchat", "ops");
    private TestState _state = null!;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    private ChatReplies CreateSut() => _state.Replies;

    [Fact]
    public async Task ReplyAsync_SameDeliveryTwice_RepliesOnce()
    {
        var sut = CreateSut();
        var key = ChatReplies.ReplyKey("slack:Ev123");

        await sut.ReplyAsync(key, Ops, OutgoingMessage.Plain("done"), null, TestContext.Current.CancellationToken);
        await sut.ReplyAsync(key, Ops, OutgoingMessage.Plain("done"), null, TestContext.Current.CancellationToken);
        // A later reply to another delivery is the marker that the dispatcher went past both.
        await sut.ReplyAsync(ChatReplies.ReplyKey("slack:Ev124"), Ops, OutgoingMessage.Plain("next"), null, TestContext.Current.CancellationToken);

        await Wait.UntilAsync(() => _state.Chat.Posts.Any(p => _state.Chat.Versions(p.Id)[0].Text == "next"), "the marker reply");
        Assert.Equal(["done", "next"], _state.Chat.Posts.Select(p => _state.Chat.Versions(p.Id)[0].Text));
    }

    [Fact]
    public async Task ReplyAsync_InAThread_GoesUnderThePlatformsMessage()
    {
        var sut = CreateSut();

        await sut.ReplyAsync(ChatReplies.ReplyKey("d1"), Ops, OutgoingMessage.Plain("first"), "1700000000.000100", TestContext.Current.CancellationToken);
        await sut.ReplyAsync(ChatReplies.ReplyKey("d2"), Ops, OutgoingMessage.Plain("second"), "1700000000.000100", TestContext.Current.CancellationToken);

        await Wait.UntilAsync(() => _state.Chat.Posts.Count == 2, "both replies");
        Assert.All(_state.Chat.Posts, p => Assert.Equal("1700000000.000100", p.ThreadOf));
    }

    [Fact]
    public async Task ReplyAsync_NoThread_PostsAtTopLevel()
    {
        await CreateSut().ReplyAsync(ChatReplies.ReplyKey("d9"), Ops, OutgoingMessage.Plain("busy"), null, TestContext.Current.CancellationToken);

        await Wait.UntilAsync(() => _state.Chat.Posts.Count == 1, "the reply");
        Assert.Null(_state.Chat.Posts[0].ThreadOf);
    }
}
