using ChatOps.Bot.Hosting;
using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>
/// The inbox's worker over a real SQLite file, with the dispatcher replaced by a recorder and the
/// real outbox behind the replies. A "restart" is a new queue over the same file.
/// </summary>
public sealed class InboundQueueTests : IAsyncLifetime
{
    private static readonly ChatDestination Ops = new("webchat", "ops");
    private readonly List<InboundQueue> _queues = [];
    private TestState _state = null!;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            await queue.StopAsync(CancellationToken.None);
            queue.Dispose();
        }

        await _state.DisposeAsync();
    }

    private static ChatRequest Say(string user, string text, string deliveryId) =>
        new(Ops, new ChatUser("webchat", user), text, deliveryId, $"msg-{deliveryId}");

    private InboundQueue Create(RecordingInboundHandler handler, ReadinessGate readiness, InboxOptions? options = null)
    {
        var queue = new InboundQueue(_state.Inbox, handler, _state.Replies, readiness, Options.Create(options ?? new InboxOptions()), _state.Time,
            NullLogger<InboundQueue>.Instance);
        _queues.Add(queue);
        return queue;
    }

    private async Task<InboundQueue> StartAsync(RecordingInboundHandler handler, InboxOptions? options = null)
    {
        var readiness = new ReadinessGate();
        readiness.Open();
        var queue = Create(handler, readiness, options);
        await queue.StartAsync(TestContext.Current.CancellationToken);
        return queue;
    }

    private Task<long> CountAsync(string state) =>
        _state.Database.ReadAsync(async c => (long)(await c.ScalarAsync("SELECT COUNT(*) FROM inbox WHERE state = @s", null, TestContext.Current.CancellationToken, ("@s", state)))!,
            TestContext.Current.CancellationToken);

    /// <summary>Posts a marker and waits for it: the outbox sends in order, so everything queued before it is out.</summary>
    private async Task<List<string>> PostedTextsAsync()
    {
        await _state.Replies.ReplyAsync("marker", Ops, OutgoingMessage.Plain("marker"), null, TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => _state.Chat.Posts.Any(p => _state.Chat.Versions(p.Id)[0].Text == "marker"), "the marker");
        return [.. _state.Chat.Posts.Select(p => _state.Chat.Versions(p.Id)[0].Text).Where(t => t != "marker")];
    }

    [Fact]
    public async Task TryEnqueueAsync_BeforeReadiness_WaitsUntilTheGateOpens()
    {
        var handler = new RecordingInboundHandler();
        var readiness = new ReadinessGate();
        var queue = Create(handler, readiness);
        await queue.StartAsync(TestContext.Current.CancellationToken);

        var admission = await queue.TryEnqueueAsync(Say("carol", "/env status dev", "d1"), TestContext.Current.CancellationToken);
        var beforeReady = await CountAsync("received");
        readiness.Open();
        await Wait.UntilAsync(() => handler.Finished.Contains("/env status dev"), "the kept message");

        Assert.Equal(InboxAdmission.Accepted, admission);
        Assert.Equal(1, beforeReady);
        Assert.Equal(["/env status dev"], handler.Started);
    }

    [Fact]
    public async Task ExecuteAsync_KeptBeforeARestart_HandledAfterItOnceInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        // The first process accepted them, then died before its gate opened.
        var before = Create(new RecordingInboundHandler(), new ReadinessGate());
        await before.StartAsync(ct);
        foreach (var (text, id) in new[] { ("first", "d1"), ("second", "d2"), ("third", "d3") })
        {
            Assert.Equal(InboxAdmission.Accepted, await before.TryEnqueueAsync(Say("carol", text, id), ct));
        }

        var handler = new RecordingInboundHandler();
        await StartAsync(handler);
        await Wait.UntilAsync(() => handler.Finished.Count == 3, "the three kept messages");
        await Wait.UntilAsync(async () => await CountAsync("done") == 3, "all three done");

        Assert.Equal(["first", "second", "third"], handler.Started);
        Assert.Empty(await PostedTextsAsync());
    }

    [Fact]
    public async Task ExecuteAsync_StartedWhenTheBotDied_NotRunAgainAndItsSenderToldOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await _state.Inbox.ReceiveAsync(Say("carol", "/env destroy dev", "d1") with { ThreadOf = "t1" }, 100, ct);
        await _state.Inbox.ReceiveAsync(Say("carol", "/env status dev", "d2"), 100, ct);
        // The crash came after the first was marked started and before it was marked done.
        Assert.Single(await _state.Inbox.StartNextAsync([], 100, ct));

        var handler = new RecordingInboundHandler();
        var first = await StartAsync(handler);
        await Wait.UntilAsync(async () => await CountAsync("done") == 1, "the waiting message");
        await first.StopAsync(ct);
        // Restarted again: the notice is not repeated.
        await StartAsync(handler);
        await Wait.UntilAsync(async () => await CountAsync("interrupted") == 1, "the interrupted delivery to be closed");

        Assert.Equal(["/env status dev"], handler.Started);
        var notice = Assert.Single(await PostedTextsAsync());
        Assert.Contains("restarted while handling \"/env destroy dev\"", notice, StringComparison.Ordinal);
        Assert.Contains("`/env status <env>`", notice, StringComparison.Ordinal);
        Assert.Contains("`/env history`", notice, StringComparison.Ordinal);
        Assert.Equal("t1", _state.Chat.Posts[0].ThreadOf);
    }

    [Fact]
    public async Task ExecuteAsync_StartedAndAnsweredWhenTheBotDied_IsClosedAsDoneWithoutANotice()
    {
        var ct = TestContext.Current.CancellationToken;
        await _state.Inbox.ReceiveAsync(Say("carol", "/env status dev", "d1"), 100, ct);
        Assert.Single(await _state.Inbox.StartNextAsync([], 100, ct));
        // The crash came after the answer was queued and before the delivery was recorded as done.
        await _state.Replies.ReplyAsync(ChatReplies.ReplyKey("d1"), Ops, OutgoingMessage.Plain("dev: 2 nodes up"), null, ct);

        var handler = new RecordingInboundHandler();
        await StartAsync(handler);
        await Wait.UntilAsync(async () => await CountAsync("done") == 1, "the answered delivery to be closed");

        Assert.Empty(handler.Started);
        Assert.Equal(["dev: 2 nodes up"], await PostedTextsAsync());
        Assert.Equal(0, await CountAsync("interrupted"));
    }

    [Fact]
    public async Task ExecuteAsync_OnePersonBusy_OthersGoAheadAndTheirNextWaits()
    {
        var ct = TestContext.Current.CancellationToken;
        var handler = new RecordingInboundHandler();
        handler.Hold("carol-1");
        var queue = await StartAsync(handler);

        await queue.TryEnqueueAsync(Say("carol", "carol-1", "d1"), ct);
        await queue.TryEnqueueAsync(Say("carol", "carol-2", "d2"), ct);
        await queue.TryEnqueueAsync(Say("dave", "dave-1", "d3"), ct);
        await Wait.UntilAsync(() => handler.Finished.Contains("dave-1"), "dave's message while carol's first is held");
        Assert.DoesNotContain("carol-2", handler.Started);
        handler.Release("carol-1");
        await Wait.UntilAsync(() => handler.Finished.Contains("carol-2"), "carol's second message");

        Assert.Equal(["carol-1", "carol-2"], handler.Finished.Where(t => t.StartsWith("carol", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ExecuteAsync_ParallelismReached_NextPersonWaitsForAFreeSlot()
    {
        var ct = TestContext.Current.CancellationToken;
        var handler = new RecordingInboundHandler();
        handler.Hold("carol-1");
        var queue = await StartAsync(handler, new InboxOptions { Parallelism = 1 });

        await queue.TryEnqueueAsync(Say("carol", "carol-1", "d1"), ct);
        await Wait.UntilAsync(() => handler.Started.Contains("carol-1"), "carol's message");
        await queue.TryEnqueueAsync(Say("dave", "dave-1", "d2"), ct);
        var whileFull = handler.Started.Count;
        handler.Release("carol-1");
        await Wait.UntilAsync(() => handler.Finished.Contains("dave-1"), "dave's message");

        Assert.Equal(1, whileFull);
    }

    [Fact]
    public async Task ExecuteAsync_HandlerThrows_GoesOnAndNeverReportsItAsInterrupted()
    {
        var ct = TestContext.Current.CancellationToken;
        var handler = new RecordingInboundHandler();
        var queue = await StartAsync(handler);

        await queue.TryEnqueueAsync(Say("carol", "boom", "d1"), ct);
        await queue.TryEnqueueAsync(Say("carol", "after", "d2"), ct);
        await Wait.UntilAsync(() => handler.Finished.Contains("after"), "the next message");
        await Wait.UntilAsync(async () => await CountAsync("done") == 2, "both done");
        await StartAsync(new RecordingInboundHandler());

        Assert.Equal(["boom", "after"], handler.Started);
        Assert.Empty(await PostedTextsAsync());
    }

    [Fact]
    public async Task TryEnqueueAsync_Full_SaysFullAndTheRetryOfAKeptOneIsADuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = Create(new RecordingInboundHandler(), new ReadinessGate(), new InboxOptions { Capacity = 2 });

        var kept = new[] { await queue.TryEnqueueAsync(Say("carol", "a", "d1"), ct), await queue.TryEnqueueAsync(Say("dave", "b", "d2"), ct) };
        var full = await queue.TryEnqueueAsync(new ChatAction(Ops, new ChatUser("webchat", "erin"), "m1", "confirm:1", "p1"), ct);
        var retry = await queue.TryEnqueueAsync(Say("carol", "a", "d1"), ct);

        Assert.All(kept, k => Assert.Equal(InboxAdmission.Accepted, k));
        Assert.Equal(InboxAdmission.Full, full);
        Assert.Equal(InboxAdmission.Duplicate, retry);
    }

    [Fact]
    public async Task ExecuteAsync_Paused_KeepsButDoesNotHandle()
    {
        var ct = TestContext.Current.CancellationToken;
        var handler = new RecordingInboundHandler();
        var queue = await StartAsync(handler, new InboxOptions { Paused = true });

        Assert.Equal(InboxAdmission.Accepted, await queue.TryEnqueueAsync(Say("carol", "/env up dev", "d1"), ct));
        await queue.StopAsync(ct);

        Assert.Empty(handler.Started);
        Assert.Equal(1, await CountAsync("received"));
    }

    [Fact]
    public async Task ExecuteAsync_OldFinishedDeliveries_AreForgotten()
    {
        var ct = TestContext.Current.CancellationToken;
        await _state.Inbox.ReceiveAsync(Say("carol", "old", "d1"), 100, ct);
        await _state.Inbox.FinishAsync((await _state.Inbox.StartNextAsync([], 1, ct))[0].Seq, ct);
        _state.Time.Advance(TimeSpan.FromDays(8));

        await StartAsync(new RecordingInboundHandler());
        await Wait.UntilAsync(async () => await CountAsync("done") == 0, "the old delivery to be forgotten");

        // Long past any platform's retries, the id is free again.
        Assert.Equal(InboxAdmission.Accepted, await _state.Inbox.ReceiveAsync(Say("carol", "old", "d1"), 100, ct));
    }

    [Fact]
    public async Task ExecuteAsync_UnreadableDelivery_IsClosedAndTheNextOneStillRuns()
    {
        var ct = TestContext.Current.CancellationToken;
        var lane = InboxItem.LaneOf(Ops, new ChatUser("webchat", "carol"));
        await _state.Database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO inbox (delivery_id, lane, kind, payload, summary, state, received_at) VALUES ('bad', @lane, 'request', '{not json', 'x', 'received', 0)",
            t, ct, ("@lane", lane)), ct);
        await _state.Inbox.ReceiveAsync(Say("carol", "after", "d1"), 100, ct);

        var handler = new RecordingInboundHandler();
        await StartAsync(handler);
        await Wait.UntilAsync(async () => await CountAsync("done") == 2, "both closed");

        Assert.Equal(["after"], handler.Started);
    }
}
