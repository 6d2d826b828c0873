using ChatOps.Bot.Hosting;
using ChatOps.Bot.Inbound;
using ChatOps.Bot.Inbound.Slack;
using ChatOps.Bot.Tests.Inbound;
using ChatOps.Integrations.Chat;
using ChatOps.TestCommon;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Inbound.Slack;

/// <summary>The "too busy" answer of a full inbox, through the real outbox and its dispatcher.</summary>
public sealed class SlackQueueSinkTests : IAsyncLifetime
{
    private static readonly ChatDestination Channel = new("webchat", "C0OPS");
    private TestState _state = null!;
    private InboundQueue _queue = null!;

    public async ValueTask InitializeAsync()
    {
        _state = await TestState.CreateAsync();
        // The queue is never started, so nothing it keeps is dispatched; it holds two at most.
        _queue = new InboundQueue(_state.Inbox, new RecordingInboundHandler(), _state.Replies, new ReadinessGate(),
            Options.Create(new InboxOptions { Capacity = 2 }), _state.Time, NullLogger<InboundQueue>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Dispose();
        await _state.DisposeAsync();
    }

    private SlackQueueSink CreateSut() =>
        new(_queue, new SlackDisplayNames(_state.Time, NullLogger<SlackDisplayNames>.Instance), _state.Replies, NullLogger<SlackQueueSink>.Instance);

    /// <summary>Posts a marker and waits for it: the dispatcher sends in order, so everything queued before is out.</summary>
    private async Task<List<(string Id, string? ThreadOf)>> PostsBeforeMarkerAsync()
    {
        await _state.Replies.ReplyAsync("marker", Channel, OutgoingMessage.Plain("marker"), null, TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => _state.Chat.Posts.Any(p => _state.Chat.Versions(p.Id)[0].Text == "marker"), "the marker");
        return [.. _state.Chat.Posts.Where(p => _state.Chat.Versions(p.Id)[0].Text != "marker")];
    }

    private async Task FillQueueAsync()
    {
        for (var i = 0; await _queue.TryEnqueueAsync(new ChatAction(Channel, new ChatUser("webchat", "U0FILL"), "1.0", "cancel-run:1", $"filler-{i}"),
            TestContext.Current.CancellationToken) != InboxAdmission.Full; i++)
        {
        }
    }

    [Fact]
    public async Task HandleActionAsync_QueueFull_SaysBusyOnceUnderThePressedMessage()
    {
        await FillQueueAsync();
        var press = new ChatAction(Channel, new ChatUser("webchat", "U0CAROL"), "1700000000.000200", "confirm:3", "press-1");
        var sut = CreateSut();

        await sut.HandleActionAsync(press, TestContext.Current.CancellationToken);
        await sut.HandleActionAsync(press, TestContext.Current.CancellationToken);
        await sut.HandleActionAsync(press with { DeliveryId = "press-2" }, TestContext.Current.CancellationToken);

        var busy = await PostsBeforeMarkerAsync();

        Assert.Equal(2, busy.Count);
        Assert.All(busy, p => Assert.Equal("1700000000.000200", p.ThreadOf));
        Assert.All(busy, p => Assert.Equal(SlackQueueSink.BusyReply, _state.Chat.Versions(p.Id)[0].Text));
    }

    [Fact]
    public async Task HandleRequestAsync_QueueHasRoom_SaysNothing()
    {
        var sut = CreateSut();

        await sut.HandleRequestAsync(new ChatRequest(Channel, new ChatUser("webchat", "U0CAROL", "carol"), "status dev", "ev-1"), TestContext.Current.CancellationToken);

        Assert.Empty(await PostsBeforeMarkerAsync());
    }
}
