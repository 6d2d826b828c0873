using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Tests.Chat.Outbox;
using ChatOps.Integrations.WebChat;

namespace ChatOps.Integrations.Tests.WebChat;

/// <summary>
/// A run of claimed posts goes to the web chat in one call and one transaction, in order, each message once; what needs
/// a thread or a look-up goes alone, and a failed run posts nothing and is retried row by row.
/// </summary>
public sealed class WebChatBatchPostTests
{
    private static readonly ChatDestination Ops = new(WebChatSender.PlatformName, "ops");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostAllAsync_OneKeyPostedBefore_OthersAddedInOrderAndThatOneLeftAsItWas()
    {
        using var harness = await OutboxHarness.CreateAsync(schemas: new WebChatSchema());
        var (sender, store) = HarnessWebChat.Create(harness);
        var earlier = await sender.PostAsync(Ops, new OutgoingMessage { Text = "b first", DeliveryKey = "b" }, cancellationToken: Ct);

        var ids = await sender.PostAllAsync(Ops, [Keyed("a"), Keyed("b"), Keyed("c")], Ct);

        Assert.Equal(earlier, ids[1]);
        Assert.Equal(["b first", "posted a", "posted c"], (await store.ListAsync("ops", Ct)).Select(m => m.Text));
        Assert.Equal(ids[2], await sender.FindPostAsync(Ops, "c", null, DateTimeOffset.UnixEpoch, Ct));
    }

    [Fact]
    public async Task Outbox_FreshPostsAndAReply_PostsGoInOneCallTheReplyAloneAfterItsParent()
    {
        using var harness = await OutboxHarness.CreateAsync(schemas: new WebChatSchema());
        var (webChat, store) = HarnessWebChat.Create(harness);
        var sender = new CountingWebChat(webChat);
        for (var i = 1; i <= 10; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"alert:{i}", Ops, OutgoingMessage.Plain($"alert {i}"), cancellationToken: Ct);
        }

        await harness.Outbox.EnqueuePostAsync("alert:1:h1", Ops, OutgoingMessage.Plain("alert 1 resolved"), threadOfKey: "alert:1", cancellationToken: Ct);

        await harness.CreateWorker(sender).RunOnceAsync(Ct);

        Assert.Equal([10], sender.Batches);
        Assert.Equal(1, sender.Singles);
        var messages = await store.ListAsync("ops", Ct);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"alert {i}"), messages.Select(m => m.Text));
        Assert.Equal(await harness.Outbox.GetMessageIdAsync("alert:1", Ct), messages[0].Id);
        Assert.Equal("alert 1 resolved", Assert.Single(messages[0].Replies).Text);
        Assert.All(messages.Skip(1), m => Assert.Empty(m.Replies));
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("sent", r.Status));
    }

    [Fact]
    public async Task Outbox_RunFails_NothingPostedThenEachRowOnceAfterItsBackoff()
    {
        using var harness = await OutboxHarness.CreateAsync(schemas: new WebChatSchema());
        var (webChat, store) = HarnessWebChat.Create(harness);
        var sender = new CountingWebChat(webChat) { FailNextBatch = true };
        for (var i = 1; i <= 5; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"alert:{i}", Ops, OutgoingMessage.Plain($"alert {i}"), cancellationToken: Ct);
        }

        var sut = harness.CreateWorker(sender);
        await sut.RunOnceAsync(Ct);

        Assert.Empty(await store.ListAsync("ops", Ct));
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("pending", r.Status));

        harness.Time.Advance(harness.Options.MaxBackoff);
        await sut.RunOnceAsync(Ct);

        // Each row was attempted before, so each is looked up and then posted on its own.
        Assert.Equal(5, sender.Singles);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"alert {i}"), (await store.ListAsync("ops", Ct)).Select(m => m.Text));
        Assert.All(await harness.RowsAsync(), r => Assert.Equal("sent", r.Status));
    }

    private static OutgoingMessage Keyed(string key) => new() { Text = $"posted {key}", DeliveryKey = key };

    /// <summary>The web chat, counting how its posts arrive; <see cref="FailNextBatch"/> refuses one run before it reaches the store.</summary>
    private sealed class CountingWebChat(WebChatSender inner) : IChatSender, IChatPostLookup, IChatBatchPoster
    {
        public List<int> Batches { get; } = [];

        public int Singles { get; private set; }

        public bool FailNextBatch { get; set; }

        public string Platform => inner.Platform;

        public Task<IReadOnlyList<string>> PostAllAsync(ChatDestination destination, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
        {
            if (FailNextBatch)
            {
                FailNextBatch = false;
                throw new FakeSendFailure("the store is busy");
            }

            Batches.Add(messages.Count);
            return inner.PostAllAsync(destination, messages, cancellationToken);
        }

        public Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
        {
            Singles++;
            return inner.PostAsync(destination, message, threadOf, cancellationToken);
        }

        public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(destination, messageId, message, cancellationToken);

        public Task<string?> FindPostAsync(ChatDestination destination, string deliveryKey, string? threadOf, DateTimeOffset since, CancellationToken cancellationToken = default) =>
            inner.FindPostAsync(destination, deliveryKey, threadOf, since, cancellationToken);
    }
}
