using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Tests.Chat.Outbox;
using ChatOps.Integrations.WebChat;

namespace ChatOps.Integrations.Tests.WebChat;

/// <summary>
/// A post to the web chat (kept in the state store, no rate limit) is stored in the transaction that queues it when
/// nothing of its channel waits before it; otherwise it waits its turn in the outbox, and the channel keeps its order.
/// </summary>
public sealed class WebChatDirectPostTests
{
    private static readonly ChatDestination Ops = new(WebChatSender.PlatformName, "ops");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnqueuePost_NothingWaiting_ShownAtOnceAndRecordedSentOnce()
    {
        using var harness = await OutboxHarness.CreateAsync(schemas: new WebChatSchema());
        var (outbox, store) = Direct(harness);

        var first = await outbox.EnqueuePostAsync("reply:1", Ops, OutgoingMessage.Plain("hello"), cancellationToken: Ct);
        var again = await outbox.EnqueuePostAsync("reply:1", Ops, OutgoingMessage.Plain("hello again"), cancellationToken: Ct);
        var reply = await outbox.EnqueuePostAsync("reply:1:r", Ops, OutgoingMessage.Plain("in the thread"), threadOfKey: "reply:1", cancellationToken: Ct);

        Assert.Equal((true, false, true), (first, again, reply));
        var shown = Assert.Single(await store.ListAsync("ops", Ct)); // no worker ran
        Assert.Equal("hello", shown.Text);
        Assert.Equal("in the thread", Assert.Single(shown.Replies).Text);
        Assert.Equal(shown.Id, await outbox.GetMessageIdAsync("reply:1", Ct));
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("sent", r.Status));
    }

    [Fact]
    public async Task EnqueuePost_AnOlderPostOfTheChannelWaits_QueuedBehindItAndSentInOrder()
    {
        using var harness = await OutboxHarness.CreateAsync(schemas: new WebChatSchema());
        var (outbox, store) = Direct(harness);
        // A reply whose parent is not out yet waits in the outbox, and so does everything after it in its channel.
        await outbox.EnqueuePostAsync("orphan", Ops, OutgoingMessage.Plain("waits for its parent"), threadOfKey: "parent", cancellationToken: Ct);
        await outbox.EnqueuePostAsync("next", Ops, OutgoingMessage.Plain("after it"), cancellationToken: Ct);
        await outbox.EnqueuePostAsync("elsewhere", new ChatDestination(WebChatSender.PlatformName, "dev"), OutgoingMessage.Plain("another channel"), cancellationToken: Ct);

        Assert.Empty(await store.ListAsync("ops", Ct));
        Assert.Equal("another channel", Assert.Single(await store.ListAsync("dev", Ct)).Text);

        await outbox.EnqueuePostAsync("parent", Ops, OutgoingMessage.Plain("the parent"), cancellationToken: Ct);
        await harness.CreateWorker(HarnessWebChat.Create(harness).Sender).RunOnceAsync(Ct);

        var messages = await store.ListAsync("ops", Ct);
        Assert.Equal(["after it", "the parent"], messages.Select(m => m.Text));
        Assert.Equal("waits for its parent", Assert.Single(messages[1].Replies).Text);
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("sent", r.Status));
    }

    [Fact]
    public async Task EnqueuePost_WebChatGivenARateLimit_EveryPostWaitsForTheWorker()
    {
        using var harness = await OutboxHarness.CreateAsync(o => o.Limits["webchat"] = new ChatRateLimit { TokenInterval = TimeSpan.FromSeconds(1), Burst = 5 },
            schemas: new WebChatSchema());
        var (outbox, store) = Direct(harness);

        await outbox.EnqueuePostAsync("reply:1", Ops, OutgoingMessage.Plain("hello"), cancellationToken: Ct);

        Assert.Empty(await store.ListAsync("ops", Ct));
        await harness.CreateWorker(HarnessWebChat.Create(harness).Sender).RunOnceAsync(Ct);
        Assert.Equal("hello", Assert.Single(await store.ListAsync("ops", Ct)).Text);
    }

    /// <summary>The outbox as the host composes it when the web chat is registered: web chat posts may go in directly.</summary>
    private static (ChatOutbox Outbox, WebChatStore Store) Direct(OutboxHarness harness)
    {
        var (sender, store) = HarnessWebChat.Create(harness);
        return (new ChatOutbox(new OutboxStore(harness.Database, harness.Time, OutboxHarness.Replica), harness.Signal, [sender], harness.Options), store);
    }
}
