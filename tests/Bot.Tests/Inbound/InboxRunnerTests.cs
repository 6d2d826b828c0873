using ChatOps.Bot.Hosting;
using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>
/// The inbox's worker and the host's <see cref="InboxRunner"/> over a real SQLite file, with the dispatcher replaced
/// by a recorder and the real outbox behind the replies. A "restart" is a new worker over the same file.
/// </summary>
public sealed class InboxRunnerTests : IAsyncLifetime
{
    private static readonly ChatDestination Ops = new("webchat", "ops");
    private readonly List<RunningInbox> _inboxes = [];
    private TestState _state = null!;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var inbox in _inboxes)
        {
            await inbox.Worker.StopAsync(CancellationToken.None);
            inbox.Worker.Dispose();
        }

        await _state.DisposeAsync();
    }

    private static ChatRequest Say(string user, string text, string deliveryId) =>
        new(Ops, new ChatUser("webchat", user), text, deliveryId, $"msg-{deliveryId}");

    /// <summary>The inbox as the host wires it: one signal shared by the adapters' side and the worker.</summary>
    private sealed record RunningInbox(ChatInbox Inbox, QueueWorker<string, InboxItem> Worker)
    {
        public Task StartAsync(CancellationToken cancellationToken) => Worker.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Worker.StopAsync(cancellationToken);

        public Task<InboxAdmission> ReceiveAsync(ChatRequest request, CancellationToken cancellationToken) => Inbox.ReceiveAsync(request, cancellationToken);

        public Task<InboxAdmission> ReceiveAsync(ChatAction action, CancellationToken cancellationToken) => Inbox.ReceiveAsync(action, cancellationToken);
    }

    private RunningInbox Create(RecordingInboxHandler handler, ReadinessGate readiness, InboxOptions? options = null)
    {
        options ??= new InboxOptions();
        var store = _state.Inbox;
        var signal = new QueueSignal<InboxItem>();
        var runner = new InboxRunner(store, handler, _state.Replies, readiness, NullLogger<InboxRunner>.Instance);
        var worker = new QueueWorker<string, InboxItem>(store, runner, signal, InboxServiceCollectionExtensions.Settings(options), _state.Time,
            NullLogger<QueueWorker<string, InboxItem>>.Instance);
        var inbox = new RunningInbox(new ChatInbox(store, _state.Database, signal, _state.Outbox, Options.Create(options), _state.Time), worker);
        _inboxes.Add(inbox);
        return inbox;
    }

    private async Task<RunningInbox> StartAsync(RecordingInboxHandler handler, InboxOptions? options = null)
    {
        var readiness = new ReadinessGate();
        readiness.Open();
        var inbox = Create(handler, readiness, options);
        await inbox.StartAsync(TestContext.Current.CancellationToken);
        return inbox;
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
    public async Task ReceiveAsync_BeforeReadiness_WaitsUntilTheGateOpens()
    {
        var handler = new RecordingInboxHandler();
        var readiness = new ReadinessGate();
        var inbox = Create(handler, readiness);
        await inbox.StartAsync(TestContext.Current.CancellationToken);

        var admission = await inbox.ReceiveAsync(Say("carol", "/env status dev", "d1"), TestContext.Current.CancellationToken);
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
        var before = Create(new RecordingInboxHandler(), new ReadinessGate());
        await before.StartAsync(ct);
        foreach (var (text, id) in new[] { ("first", "d1"), ("second", "d2"), ("third", "d3") })
        {
            Assert.Equal(InboxAdmission.Accepted, await before.ReceiveAsync(Say("carol", text, id), ct));
        }

        var handler = new RecordingInboxHandler();
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
        Assert.Single(await _state.StartNextAsync([], 100, ct));

        var handler = new RecordingInboxHandler();
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
        Assert.Single(await _state.StartNextAsync([], 100, ct));
        // The crash came after the answer was queued and before the delivery was recorded as done.
        await _state.Replies.ReplyAsync(ChatReplies.ReplyKey("d1"), Ops, OutgoingMessage.Plain("dev: 2 nodes up"), null, ct);

        var handler = new RecordingInboxHandler();
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
        var handler = new RecordingInboxHandler();
        handler.Hold("carol-1");
        var inbox = await StartAsync(handler);

        await inbox.ReceiveAsync(Say("carol", "carol-1", "d1"), ct);
        await inbox.ReceiveAsync(Say("carol", "carol-2", "d2"), ct);
        await inbox.ReceiveAsync(Say("dave", "dave-1", "d3"), ct);
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
        var handler = new RecordingInboxHandler();
        handler.Hold("carol-1");
        var inbox = await StartAsync(handler, new InboxOptions { Parallelism = 1 });

        await inbox.ReceiveAsync(Say("carol", "carol-1", "d1"), ct);
        await Wait.UntilAsync(() => handler.Started.Contains("carol-1"), "carol's message");
        await inbox.ReceiveAsync(Say("dave", "dave-1", "d2"), ct);
        var whileFull = handler.Started.Count;
        handler.Release("carol-1");
        await Wait.UntilAsync(() => handler.Finished.Contains("dave-1"), "dave's message");

        Assert.Equal(1, whileFull);
    }

    [Fact]
    public async Task ExecuteAsync_HandlerThrows_GoesOnAndNeverReportsItAsInterrupted()
    {
        var ct = TestContext.Current.CancellationToken;
        var handler = new RecordingInboxHandler();
        var inbox = await StartAsync(handler);

        await inbox.ReceiveAsync(Say("carol", "boom", "d1"), ct);
        await inbox.ReceiveAsync(Say("carol", "after", "d2"), ct);
        await Wait.UntilAsync(() => handler.Finished.Contains("after"), "the next message");
        await Wait.UntilAsync(async () => await CountAsync("done") == 2, "both done");
        await StartAsync(new RecordingInboxHandler());

        Assert.Equal(["boom", "after"], handler.Started);
        Assert.Empty(await PostedTextsAsync());
    }

    [Fact]
    public async Task ReceiveAsync_Full_SaysFullAndTheRetryOfAKeptOneIsADuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        var inbox = Create(new RecordingInboxHandler(), new ReadinessGate(), new InboxOptions { Capacity = 2 });

        var kept = new[] { await inbox.ReceiveAsync(Say("carol", "a", "d1"), ct), await inbox.ReceiveAsync(Say("dave", "b", "d2"), ct) };
        var full = await inbox.ReceiveAsync(new ChatAction(Ops, new ChatUser("webchat", "erin"), "m1", "confirm:1", "p1"), ct);
        var retry = await inbox.ReceiveAsync(Say("carol", "a", "d1"), ct);

        Assert.All(kept, k => Assert.Equal(InboxAdmission.Accepted, k));
        Assert.Equal(InboxAdmission.Full, full);
        Assert.Equal(InboxAdmission.Duplicate, retry);
    }

    [Fact]
    public async Task ExecuteAsync_Paused_KeepsButDoesNotHandle()
    {
        var ct = TestContext.Current.CancellationToken;
        var handler = new RecordingInboxHandler();
        var inbox = await StartAsync(handler, new InboxOptions { Paused = true });

        Assert.Equal(InboxAdmission.Accepted, await inbox.ReceiveAsync(Say("carol", "/env up dev", "d1"), ct));
        await inbox.StopAsync(ct);

        Assert.Empty(handler.Started);
        Assert.Equal(1, await CountAsync("received"));
    }

    [Fact]
    public async Task ExecuteAsync_OldFinishedDeliveries_AreForgotten()
    {
        var ct = TestContext.Current.CancellationToken;
        await _state.Inbox.ReceiveAsync(Say("carol", "old", "d1"), 100, ct);
        await _state.Inbox.FinishAsync((await _state.StartNextAsync([], 1, ct))[0].Seq, ct);
        _state.Time.Advance(TimeSpan.FromDays(8));

        await StartAsync(new RecordingInboxHandler());
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

        var handler = new RecordingInboxHandler();
        await StartAsync(handler);
        await Wait.UntilAsync(async () => await CountAsync("done") == 2, "both closed");

        Assert.Equal(["after"], handler.Started);
    }
}
