using ChatOps.Integrations.Chat;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

public sealed class OutboxSenderFaultTests
{
    private static readonly ChatDestination Alerts = OutboxHarness.Alerts;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunOnceAsync_ShutdownMidSend_ClaimKeptForRecoveryAfterLease()
    {
        using var harness = await OutboxHarness.CreateAsync();
        await harness.Outbox.EnqueuePostAsync("k", Alerts, OutgoingMessage.Plain("x"), cancellationToken: Ct);
        var stuck = new StuckChatSender();
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var round = harness.CreateWorker(stuck).RunOnceAsync(shutdown.Token);
        await Wait.ForAsync(stuck.Entered, "the send that never returns");

        await shutdown.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(round, "the cancelled round to end"));
        Assert.Equal("claimed", Assert.Single(await harness.RowsAsync()).Status);
        var sender = new RecordingChatSender();
        harness.Time.Advance(harness.Options.ClaimLease);
        await harness.CreateWorker(sender).RunOnceAsync(Ct);
        Assert.Single(sender.Calls);
    }

    [Fact]
    public async Task RunOnceAsync_SendOutlastsSendTimeout_CancelledAndRetriedWithBackoff()
    {
        using var harness = await OutboxHarness.CreateAsync();
        await harness.Outbox.EnqueuePostAsync("k", Alerts, OutgoingMessage.Plain("x"), cancellationToken: Ct);
        var stuck = new StuckChatSender();
        var round = harness.CreateWorker(stuck).RunOnceAsync(Ct);
        await Wait.ForAsync(stuck.Entered, "the send that never returns");

        harness.Time.Advance(harness.Options.SendTimeout);
        await Wait.ForAsync(round, "the round to give up on the send");

        Assert.Equal("pending", Assert.Single(await harness.RowsAsync()).Status);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT attempts FROM chat_outbox"));
        Assert.Equal((harness.Time.GetUtcNow() + harness.Options.InitialBackoff).ToUnixTimeMilliseconds(), await harness.ScalarAsync<long>("SELECT due_at FROM chat_outbox"));
    }

    [Fact]
    public async Task RunOnceAsync_BurstLargerThanMaxDigestItems_SplitsIntoFullDigestsAndLaterPostsJoinTheWaitingOne()
    {
        using var harness = await OutboxHarness.CreateAsync(o =>
        {
            o.Limits["slack"] = new() { TokenInterval = TimeSpan.FromMinutes(1), Burst = 1 };
            o.MaxDigestItems = 10;
        });
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        for (var i = 0; i < 26; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"a{i}", Alerts, OutgoingMessage.Plain($"a{i}"), digestAs: "alert", cancellationToken: Ct);
        }

        await sut.RunOnceAsync(Ct);
        await harness.Outbox.EnqueuePostAsync("late", Alerts, OutgoingMessage.Plain("late"), digestAs: "alert", cancellationToken: Ct);
        await sut.RunOnceAsync(Ct);

        // One sent on its own; 20 of the 25 waiting filled two digests; the last 5 were not above the
        // threshold (and the open digest was full) until the late one made 6.
        Assert.Single(sender.Calls);
        var digests = await harness.Database.ReadAsync(c => ChatOps.Integrations.Storage.DbExtensions.QueryAsync(c,
            "SELECT digested_into, COUNT(*) FROM chat_outbox WHERE status = 'digested' GROUP BY digested_into ORDER BY MIN(seq)", null,
            r => r.GetInt64(1), Ct), Ct);
        Assert.Equal([10L, 10L, 6L], digests);
        for (var minute = 0; minute < 3; minute++)
        {
            harness.Time.Advance(TimeSpan.FromMinutes(1));
            await sut.RunOnceAsync(Ct);
        }

        Assert.Equal(["a0", "*10 alerts*", "*10 alerts*", "*6 alerts*"], sender.Calls.Select(c => c.Message.Text.Split('\n')[0]));
    }

    [Fact]
    public async Task RunOnceAsync_FewMergeableWaiting_SentOneByOneNotMerged()
    {
        using var harness = await OutboxHarness.CreateAsync(o => o.Limits["slack"] = new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 1 });
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        for (var i = 0; i < 6; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"a{i}", Alerts, OutgoingMessage.Plain($"a{i}"), digestAs: "alert", cancellationToken: Ct);
        }

        for (var second = 0; second < 6; second++)
        {
            await sut.RunOnceAsync(Ct);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"a{i}"), sender.Calls.Select(c => c.Message.Text));
    }

    [Fact]
    public async Task EnqueuePostAsync_MessageWithButtonsAndImage_SentExactlyAsEnqueuedAfterRoundTrip()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        var message = new OutgoingMessage
        {
            Text = "*Alert 42* disk full",
            Buttons = [new ChatButton("ack:42", "Acknowledge", ButtonStyle.Primary)],
            Context = ["host web-1"],
            Image = new ChatImage("sparkline", new byte[] { 0x89, 0x50, 0x4E, 0x47 }),
        };
        await harness.Outbox.EnqueuePostAsync("k", Alerts, message, cancellationToken: Ct);

        await harness.CreateWorker(sender).RunOnceAsync(Ct);

        var sent = Assert.Single(sender.Calls).Message;
        Assert.Equal((message.Text, message.Buttons[0], message.Context[0], message.Image.AltText), (sent.Text, sent.Buttons[0], sent.Context[0], sent.Image!.AltText));
        Assert.Equal(message.Image.Png.ToArray(), sent.Image.Png.ToArray());
    }

    [Fact]
    public async Task EnqueueUpdateAsync_UnknownPostKey_ReturnsFalseAndQueuesNothing()
    {
        using var harness = await OutboxHarness.CreateAsync();

        var queued = await harness.Outbox.EnqueueUpdateAsync("never-posted", Alerts, OutgoingMessage.Plain("x"), Ct);

        Assert.False(queued);
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT COUNT(*) FROM chat_outbox_edits"));
    }

    [Fact]
    public async Task EnqueuePostAsync_BadArguments_Throw()
    {
        using var harness = await OutboxHarness.CreateAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Outbox.EnqueuePostAsync(" ", Alerts, OutgoingMessage.Plain("x"), cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => harness.Outbox.EnqueuePostAsync("k", null!, OutgoingMessage.Plain("x"), cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => harness.Outbox.EnqueueUpdateAsync("k", Alerts, null!, Ct));
        Assert.Empty(await harness.RowsAsync());
    }
}
