using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.TestCommon;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>The inbox as adapters see it, and the "too busy" answer of a full one, through the real outbox and its worker.</summary>
public sealed class ChatInboxTests : IAsyncLifetime
{
    private static readonly ChatDestination Channel = new("webchat", "C0OPS");
    private TestState _state = null!;
    private ChatInbox _sut = null!;

    public async ValueTask InitializeAsync()
    {
        _state = await TestState.CreateAsync();
        // No worker runs, so nothing kept is handled; it holds two at most.
        _sut = new ChatInbox(_state.Inbox, new QueueSignal<InboxItem>(), _state.Outbox, Options.Create(new InboxOptions { Capacity = 2 }));
    }

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    /// <summary>Posts a marker and waits for it: the outbox sends in order, so everything queued before is out.</summary>
    private async Task<List<(string Id, string? ThreadOf)>> PostsBeforeMarkerAsync()
    {
        await _state.Replies.ReplyAsync("marker", Channel, OutgoingMessage.Plain("marker"), null, TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => _state.Chat.Posts.Any(p => _state.Chat.Versions(p.Id)[0].Text == "marker"), "the marker");
        return [.. _state.Chat.Posts.Where(p => _state.Chat.Versions(p.Id)[0].Text != "marker")];
    }

    private async Task FillAsync()
    {
        for (var i = 0; await _sut.ReceiveAsync(new ChatAction(Channel, new ChatUser("webchat", "U0FILL"), "1.0", "cancel-run:1", $"filler-{i}"),
            TestContext.Current.CancellationToken) != InboxAdmission.Full; i++)
        {
        }
    }

    [Fact]
    public async Task ReceiveAsync_Full_RefusesAndTheRetryOfAKeptOneIsADuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        var say = new ChatRequest(Channel, new ChatUser("webchat", "U0CAROL", "carol"), "status dev", "ev-1");

        var kept = await _sut.ReceiveAsync(say, ct);
        await FillAsync();
        var full = await _sut.ReceiveAsync(say with { DeliveryId = "ev-2" }, ct);
        var retry = await _sut.ReceiveAsync(say, ct);

        Assert.Equal(InboxAdmission.Accepted, kept);
        Assert.Equal(InboxAdmission.Full, full);
        Assert.Equal(InboxAdmission.Duplicate, retry);
    }

    [Fact]
    public async Task TellBusyAsync_RefusedPressTwice_SaysBusyOnceUnderThePressedMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        await FillAsync();
        var press = new ChatAction(Channel, new ChatUser("webchat", "U0CAROL"), "1700000000.000200", "confirm:3", "press-1");

        Assert.Equal(InboxAdmission.Full, await _sut.ReceiveAsync(press, ct));
        await _sut.TellBusyAsync(press, ct);
        await _sut.TellBusyAsync(press, ct);
        await _sut.TellBusyAsync(press with { DeliveryId = "press-2" }, ct);

        var busy = await PostsBeforeMarkerAsync();

        Assert.Equal(2, busy.Count);
        Assert.All(busy, p => Assert.Equal("1700000000.000200", p.ThreadOf));
        Assert.All(busy, p => Assert.Equal(ChatInbox.BusyText, _state.Chat.Versions(p.Id)[0].Text));
    }

    [Fact]
    public async Task TellBusyAsync_Request_AnswersInItsThread()
    {
        var ct = TestContext.Current.CancellationToken;
        var say = new ChatRequest(Channel, new ChatUser("webchat", "U0CAROL", "carol"), "status dev", "ev-1", ThreadOf: "1700000000.000100");

        await _sut.TellBusyAsync(say, ct);

        var busy = Assert.Single(await PostsBeforeMarkerAsync());
        Assert.Equal("1700000000.000100", busy.ThreadOf);
    }

    [Fact]
    public async Task TellBusyAsync_ThenAReplyInTheSameThread_BothUnderOneParentRecordKeptUnderItsStoredKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var say = new ChatRequest(Channel, new ChatUser("webchat", "U0CAROL", "carol"), "status dev", "ev-1", ThreadOf: "1700000000.000100");

        await _sut.TellBusyAsync(say, ct);
        await _state.Replies.ReplyAsync(ChatReplies.ReplyKey("ev-2"), Channel, OutgoingMessage.Plain("dev: 2 nodes up"), "1700000000.000100", ct);

        var posts = await PostsBeforeMarkerAsync();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal("1700000000.000100", p.ThreadOf));
        // Databases written by earlier builds hold parents under this exact key.
        var parent = await _state.Outbox.LocateAsync("thread:webchat:C0OPS:1700000000.000100", ct);
        Assert.Equal("1700000000.000100", parent?.MessageId);
    }
}
