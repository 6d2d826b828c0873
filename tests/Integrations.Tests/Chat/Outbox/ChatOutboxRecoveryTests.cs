using ChatOps.Integrations.Chat;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

/// <summary>
/// The window between "the platform took the post" and "we recorded its id": a post whose earlier attempt
/// may have got through is looked up by its delivery key before it is posted again.
/// </summary>
public sealed class ChatOutboxRecoveryTests
{
    private static readonly ChatDestination Alerts = OutboxHarness.Alerts;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunOnceAsync_FirstAttempt_PostCarriesItsKeyAndNothingIsLookedUp()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new LookupChatSender();
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);

        await harness.CreateWorker(sender).RunOnceAsync(Ct);

        Assert.Equal("alert:1", Assert.Single(sender.Inner.Posts).Message.DeliveryKey);
        Assert.Empty(sender.Lookups);
        // The key belongs to the delivery, not to the stored content.
        var stored = await harness.ScalarAsync<string>("SELECT message FROM chat_outbox WHERE key = 'alert:1'");
        Assert.DoesNotContain("deliveryKey", stored, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunOnceAsync_AbandonedClaimWhosePostGotThrough_RecordedWithoutPostingAgain()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var queuedAt = harness.Time.GetUtcNow();
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await DieMidSendAsync(harness);
        var sender = new LookupChatSender();
        // The dead dispatcher's post reached the platform; only its id was never recorded.
        sender.Planted["alert:1"] = "ts-early";

        await harness.CreateWorker(sender).RunOnceAsync(Ct);

        Assert.Empty(sender.Inner.Posts);
        var lookup = Assert.Single(sender.Lookups);
        Assert.Equal(("alert:1", (string?)null, queuedAt), lookup);
        var refreshed = Assert.Single(sender.Inner.Calls);
        Assert.Equal(("update", "ts-early", "disk full"), (refreshed.Verb, refreshed.MessageId, refreshed.Message.Text));
        Assert.Equal(("sent", "ts-early"), Single(await harness.RowsAsync()));
        Assert.Equal("ts-early", await harness.Outbox.GetMessageIdAsync("alert:1", Ct));
    }

    [Fact]
    public async Task RunOnceAsync_AbandonedClaimWhosePostNeverArrived_PostedOnce()
    {
        using var harness = await OutboxHarness.CreateAsync();
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await DieMidSendAsync(harness);
        var sender = new LookupChatSender();
        var sut = harness.CreateWorker(sender);

        await sut.RunOnceAsync(Ct);
        harness.Time.Advance(harness.Options.ClaimLease * 2);
        await sut.RunOnceAsync(Ct);

        var post = Assert.Single(sender.Inner.Posts);
        Assert.Equal("alert:1", post.Message.DeliveryKey);
        Assert.Single(sender.Lookups);
        Assert.Equal(("sent", post.MessageId), Single(await harness.RowsAsync()));
    }

    [Fact]
    public async Task RunOnceAsync_SendFailedAfterThePlatformTookIt_RetryFindsItInsteadOfPosting()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new LookupChatSender();
        // A timeout or a dropped connection says nothing about whether the platform kept the post.
        sender.Inner.Failures.Enqueue(new HttpRequestException("connection reset"));
        sender.Planted["alert:1"] = "ts-early";
        var sut = harness.CreateWorker(sender);
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);

        await sut.RunOnceAsync(Ct);
        Assert.Empty(sender.Lookups);
        harness.Time.Advance(harness.Options.InitialBackoff);
        await sut.RunOnceAsync(Ct);

        Assert.Empty(sender.Inner.Posts);
        Assert.Single(sender.Lookups);
        Assert.Equal(("sent", "ts-early"), Single(await harness.RowsAsync()));
    }

    [Fact]
    public async Task RunOnceAsync_EditFoldedIntoPostAwaitingRetry_FoundPostShowsTheNewestContent()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new LookupChatSender();
        sender.Inner.Failures.Enqueue(new HttpRequestException("connection reset"));
        sender.Planted["run:7"] = "ts-early";
        var sut = harness.CreateWorker(sender);
        await harness.Outbox.EnqueuePostAsync("run:7", Alerts, OutgoingMessage.Plain("step 1 of 3"), cancellationToken: Ct);
        await sut.RunOnceAsync(Ct);

        Assert.True(await harness.Outbox.EnqueueUpdateAsync("run:7", Alerts, OutgoingMessage.Plain("step 2 of 3"), Ct));
        harness.Time.Advance(harness.Options.InitialBackoff);
        await sut.RunOnceAsync(Ct);

        var update = Assert.Single(sender.Inner.Calls);
        Assert.Equal(("update", "ts-early", "step 2 of 3"), (update.Verb, update.MessageId, update.Message.Text));
    }

    [Fact]
    public async Task RunOnceAsync_ThreadReplyRetried_LookedUpInItsParentsThread()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new LookupChatSender();
        var sut = harness.CreateWorker(sender);
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await sut.RunOnceAsync(Ct);
        var parent = Assert.Single(sender.Inner.Posts).MessageId;
        sender.Inner.Failures.Enqueue(new HttpRequestException("connection reset"));
        await harness.Outbox.EnqueuePostAsync("alert:1:note", Alerts, OutgoingMessage.Plain("still full"), threadOfKey: "alert:1", cancellationToken: Ct);

        await sut.RunOnceAsync(Ct);
        harness.Time.Advance(harness.Options.InitialBackoff);
        await sut.RunOnceAsync(Ct);

        Assert.Equal(("alert:1:note", parent), Assert.Single(sender.Lookups) is var l ? (l.DeliveryKey, l.ThreadOf) : default);
        Assert.Equal(parent, sender.Inner.Posts.Last().ThreadOf);
        Assert.Equal(2, sender.Inner.Posts.Count());
    }

    [Fact]
    public async Task RunOnceAsync_LookupFailsForNow_NothingPostedUntilItAnswers()
    {
        using var harness = await OutboxHarness.CreateAsync();
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await DieMidSendAsync(harness);
        var sender = new LookupChatSender();
        sender.LookupFailures.Enqueue(new FakeSendFailure("internal_error"));
        var sut = harness.CreateWorker(sender);

        await sut.RunOnceAsync(Ct);
        Assert.Empty(sender.Inner.Calls);
        Assert.Equal("pending", Single(await harness.RowsAsync()).Status);

        harness.Time.Advance(harness.Options.InitialBackoff * 2);
        await sut.RunOnceAsync(Ct);

        Assert.Equal(2, sender.Lookups.Count);
        Assert.Single(sender.Inner.Posts);
        Assert.Equal("sent", Single(await harness.RowsAsync()).Status);
    }

    [Fact]
    public async Task RunOnceAsync_LookupCanNeverAnswer_PostsRatherThanLosingTheMessage()
    {
        using var harness = await OutboxHarness.CreateAsync();
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await DieMidSendAsync(harness);
        var sender = new LookupChatSender();
        sender.LookupFailures.Enqueue(new FakeSendFailure("missing_scope", isPermanent: true));

        await harness.CreateWorker(sender).RunOnceAsync(Ct);

        Assert.Single(sender.Inner.Posts);
        Assert.Equal("sent", Single(await harness.RowsAsync()).Status);
    }

    [Fact]
    public async Task RunOnceAsync_AttemptedPostUnderABurst_NotMergedIntoADigest()
    {
        using var harness = await OutboxHarness.CreateAsync(o =>
        {
            o.DigestThreshold = 2;
            o.Limits["slack"] = new() { TokenInterval = TimeSpan.FromMinutes(1), Burst = 1 };
        });
        var sender = new LookupChatSender();
        sender.Inner.Failures.Enqueue(new HttpRequestException("connection reset"));
        var sut = harness.CreateWorker(sender);
        await harness.Outbox.EnqueuePostAsync("alert:0", Alerts, OutgoingMessage.Plain("alert 0"), digestAs: "alert", cancellationToken: Ct);
        await sut.RunOnceAsync(Ct);
        for (var i = 1; i <= 4; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"alert:{i}", Alerts, OutgoingMessage.Plain($"alert {i}"), digestAs: "alert", cancellationToken: Ct);
        }

        harness.Time.Advance(harness.Options.InitialBackoff);
        await sut.RunOnceAsync(Ct);

        var rows = await harness.RowsAsync();
        // The attempted one may already be on the platform: merged, it would show twice.
        Assert.Null(rows.Single(r => r.Key == "alert:0").DigestedInto);
        Assert.All(rows.Where(r => r.Key is "alert:1" or "alert:2" or "alert:3" or "alert:4"), r => Assert.Equal("digested", r.Status));
    }

    /// <summary>A dispatcher claims the only row and never comes back; the test clock moves past its lease.</summary>
    private static async Task DieMidSendAsync(OutboxHarness harness)
    {
        var dying = new HangingChatSender();
        _ = harness.CreateWorker(dying).RunOnceAsync(Ct);
        await Wait.ForAsync(dying.Entered, "the send that hangs");
        harness.Time.Advance(harness.Options.ClaimLease);
    }

    private static (string Status, string? MessageId) Single(List<(string Key, string Status, string? DigestedInto, string? MessageId)> rows)
    {
        var row = Assert.Single(rows);
        return (row.Status, row.MessageId);
    }
}
