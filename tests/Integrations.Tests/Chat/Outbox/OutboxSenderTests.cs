using System.Globalization;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Chat;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

public sealed partial class OutboxSenderTests
{
    private static readonly ChatDestination Alerts = OutboxHarness.Alerts;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnqueuePostAsync_DispatcherNotRunning_RowWrittenAndNothingSent()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        _ = harness.CreateWorker(sender);

        var added = await harness.Outbox.EnqueuePostAsync("alert:f1:firing:slack:C-ALERTS", Alerts, Text("disk full"), cancellationToken: Ct);

        Assert.True(added);
        var row = Assert.Single(await harness.RowsAsync());
        Assert.Equal(("alert:f1:firing:slack:C-ALERTS", "pending"), (row.Key, row.Status));
        Assert.Empty(sender.Calls);
        Assert.Null(await harness.Outbox.GetMessageIdAsync("alert:f1:firing:slack:C-ALERTS", Ct));
    }

    [Fact]
    public async Task EnqueuePostAsync_SameKeyTwice_SentOnceWithFirstContent()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);

        Assert.True(await harness.Outbox.EnqueuePostAsync("k", Alerts, Text("first"), cancellationToken: Ct));
        Assert.False(await harness.Outbox.EnqueuePostAsync("k", Alerts, Text("second"), cancellationToken: Ct));
        await sut.RunOnceAsync(Ct);
        Assert.False(await harness.Outbox.EnqueuePostAsync("k", Alerts, Text("third"), cancellationToken: Ct));
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        await sut.RunOnceAsync(Ct);

        var post = Assert.Single(sender.Calls);
        Assert.Equal("first", post.Message.Text);
        Assert.Equal(post.MessageId, await harness.Outbox.GetMessageIdAsync("k", Ct));
        Assert.Contains(await harness.Metrics.CollectAsync(Ct), m => m.Destination == Alerts && m.Depth == 0);
    }

    [Fact]
    public async Task RunOnceAsync_DispatcherDiedMidSend_NewDispatcherSendsExactlyOnceAfterLease()
    {
        using var harness = await OutboxHarness.CreateAsync();
        await harness.Outbox.EnqueuePostAsync("k", Alerts, Text("deploy 42 started"), cancellationToken: Ct);
        var dying = new HangingChatSender();
        // The first dispatcher claims the row and never returns from the platform call, as a killed process.
        _ = harness.CreateWorker(dying).RunOnceAsync(Ct);
        await Wait.ForAsync(dying.Entered, "the send that hangs");
        Assert.Equal("claimed", Assert.Single(await harness.RowsAsync()).Status);

        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        await sut.RunOnceAsync(Ct);
        Assert.Empty(sender.Calls);

        harness.Time.Advance(harness.Options.ClaimLease - TimeSpan.FromSeconds(1));
        await sut.RunOnceAsync(Ct);
        Assert.Empty(sender.Calls);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await sut.RunOnceAsync(Ct);
        harness.Time.Advance(harness.Options.ClaimLease * 2);
        await sut.RunOnceAsync(Ct);

        var post = Assert.Single(sender.Calls);
        Assert.Equal("deploy 42 started", post.Message.Text);
        Assert.Equal(("sent", post.MessageId), Assert.Single(await harness.RowsAsync()) is var row ? (row.Status, row.MessageId) : default);
    }

    [Fact]
    public async Task StartAsync_ClaimLeftByAKilledProcess_SendsItAtOnceNotAfterTheLease()
    {
        using var harness = await OutboxHarness.CreateAsync();
        await harness.Outbox.EnqueuePostAsync("k", Alerts, Text("deploy 42 started"), cancellationToken: Ct);
        var dying = new HangingChatSender();
        _ = harness.CreateWorker(dying).RunOnceAsync(Ct);
        await Wait.ForAsync(dying.Entered, "the send that hangs");

        // The next start of the bot: the clock has not moved, the dead claim's lease is far from over.
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        await sut.StartAsync(Ct);
        try
        {
            await Wait.UntilAsync(() => !sender.Calls.IsEmpty, "the left claim to be sent by the new process");
        }
        finally
        {
            await sut.StopAsync(Ct);
        }

        Assert.Equal("deploy 42 started", Assert.Single(sender.Calls).Message.Text);
        Assert.Equal("sent", Assert.Single(await harness.RowsAsync()).Status);
    }

    [Fact]
    public async Task RunOnceAsync_DeadDispatcherReturnsAfterLeasePassed_ItsLateResultDoesNotOverwrite()
    {
        using var harness = await OutboxHarness.CreateAsync();
        await harness.Outbox.EnqueuePostAsync("k", Alerts, Text("hello"), cancellationToken: Ct);
        var slow = new HangingChatSender();
        var slowRound = harness.CreateWorker(slow).RunOnceAsync(Ct);
        await Wait.ForAsync(slow.Entered, "the slow send");
        harness.Time.Advance(harness.Options.ClaimLease);
        var sender = new RecordingChatSender();
        await harness.CreateWorker(sender).RunOnceAsync(Ct);

        slow.Release("late-id");
        await Wait.ForAsync(slowRound, "the slow round to finish");

        Assert.Equal(Assert.Single(sender.Calls).MessageId, await harness.Outbox.GetMessageIdAsync("k", Ct));
    }

    [Fact]
    public async Task RunOnceAsync_RetryAfter_NothingSentBeforeItPasses()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        sender.Failures.Enqueue(new FakeSendFailure("ratelimited", TimeSpan.FromSeconds(30)));
        var sut = harness.CreateWorker(sender);
        await harness.Outbox.EnqueuePostAsync("a", Alerts, Text("one"), cancellationToken: Ct);
        await harness.Outbox.EnqueuePostAsync("b", Alerts, Text("two"), cancellationToken: Ct);

        var next = await sut.RunOnceAsync(Ct);
        Assert.Equal(harness.Time.GetUtcNow() + TimeSpan.FromSeconds(30), next);
        for (var i = 0; i < 29; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            await sut.RunOnceAsync(Ct);
        }

        Assert.Empty(sender.Calls);
        Assert.Equal(1, sender.Attempts);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await sut.RunOnceAsync(Ct);

        Assert.Equal("one", Assert.Single(sender.Calls).Message.Text);
        // Waiting out Retry-After is not a failed attempt: the row has been tried once, successfully.
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT attempts FROM chat_outbox WHERE key = 'a'"));
    }

    [Fact]
    public async Task EnqueueUpdateAsync_PostStillWaiting_PostGoesOutOnceWithNewestContent()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        await harness.Outbox.EnqueuePostAsync("run:7:progress", Alerts, Text("step 1/3"), cancellationToken: Ct);
        await harness.Outbox.EnqueueUpdateAsync("run:7:progress", Alerts, Text("step 2/3"), Ct);
        await harness.Outbox.EnqueueUpdateAsync("run:7:progress", Alerts, Text("step 3/3"), Ct);

        await sut.RunOnceAsync(Ct);

        var post = Assert.Single(sender.Calls);
        Assert.Equal(("post", "step 3/3"), (post.Verb, post.Message.Text));
    }

    [Fact]
    public async Task EnqueueUpdateAsync_SeveralEditsAfterPost_OnlyNewestSentAndAfterThePost()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        await harness.Outbox.EnqueuePostAsync("run:7:progress", Alerts, Text("step 1/3"), cancellationToken: Ct);
        await sut.RunOnceAsync(Ct);
        await harness.Outbox.EnqueueUpdateAsync("run:7:progress", Alerts, Text("step 2/3"), Ct);
        await harness.Outbox.EnqueueUpdateAsync("run:7:progress", Alerts, Text("step 3/3"), Ct);

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await sut.RunOnceAsync(Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await sut.RunOnceAsync(Ct);

        Assert.Equal([("post", "step 1/3", "m1"), ("update", "step 3/3", "m1")], sender.Calls.Select(c => (c.Verb, c.Message.Text, c.MessageId)));
    }

    [Fact]
    public async Task EnqueueUpdateAsync_PostInFlight_EditWaitsForPostThenSendsNewest()
    {
        using var harness = await OutboxHarness.CreateAsync();
        await harness.Outbox.EnqueuePostAsync("p", Alerts, Text("v1"), cancellationToken: Ct);
        var slow = new HangingChatSender();
        var inFlight = harness.CreateWorker(slow).RunOnceAsync(Ct);
        await Wait.ForAsync(slow.Entered, "the slow send");
        await harness.Outbox.EnqueueUpdateAsync("p", Alerts, Text("v2"), Ct);
        await harness.Outbox.EnqueueUpdateAsync("p", Alerts, Text("v3"), Ct);

        // Another dispatcher must not send the edit before the post it edits is out.
        var other = new RecordingChatSender();
        await harness.CreateWorker(other).RunOnceAsync(Ct);
        Assert.Empty(other.Calls);

        slow.Release("ts-1");
        await Wait.ForAsync(inFlight, "the round in flight to finish");
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.CreateWorker(other).RunOnceAsync(Ct);

        var update = Assert.Single(other.Calls);
        Assert.Equal(("update", "ts-1", "v3"), (update.Verb, update.MessageId, update.Message.Text));
    }

    [Fact]
    public async Task EnqueueUpdateAsync_NewerContentWhileEditInFlight_NewerSentAfterwards()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        await harness.Outbox.EnqueuePostAsync("p", Alerts, Text("v1"), cancellationToken: Ct);
        await sut.RunOnceAsync(Ct);
        await harness.Outbox.EnqueueUpdateAsync("p", Alerts, Text("v2"), Ct);
        var store = new Integrations.Chat.Outbox.OutboxStore(harness.Database, harness.Time, OutboxHarness.Replica);
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        var claimed = await store.ClaimNextAsync(Alerts, harness.Time.GetUtcNow(), harness.Options.ClaimLease, Ct);
        await harness.Outbox.EnqueueUpdateAsync("p", Alerts, Text("v3"), Ct);

        Assert.True(await store.CompleteAsync(claimed!, null, harness.Time.GetUtcNow(), Ct));
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await sut.RunOnceAsync(Ct);

        Assert.Equal("v2", claimed!.Message.Text);
        Assert.Equal("v3", sender.Calls.Last().Message.Text);
        Assert.Equal("sent", await harness.ScalarAsync<string>("SELECT status FROM chat_outbox_edits WHERE target_key = 'p'"));
    }

    [Fact]
    public async Task EnqueuePostAsync_ThreadReply_WaitsForParentAndRepliesUnderIt()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        var other = new ChatDestination("slack", "C-OTHER");
        await harness.Outbox.EnqueuePostAsync("reply", Alerts, Text("details"), threadOfKey: "parent", cancellationToken: Ct);

        await sut.RunOnceAsync(Ct);
        Assert.Empty(sender.Calls);

        await harness.Outbox.EnqueuePostAsync("parent", other, Text("run 7"), cancellationToken: Ct);
        await sut.RunOnceAsync(Ct);
        await sut.RunOnceAsync(Ct);

        var reply = Assert.Single(sender.Calls, c => c.Message.Text == "details");
        Assert.Equal(await harness.Outbox.GetMessageIdAsync("parent", Ct), reply.ThreadOf);
    }

    [Fact]
    public async Task RunOnceAsync_PermanentFailure_MarkedFailedWithoutRetry()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        sender.Failures.Enqueue(new FakeSendFailure("channel_not_found", isPermanent: true));
        var sut = harness.CreateWorker(sender);
        await harness.Outbox.EnqueuePostAsync("k", Alerts, Text("x"), cancellationToken: Ct);

        await sut.RunOnceAsync(Ct);
        harness.Time.Advance(TimeSpan.FromHours(1));
        await sut.RunOnceAsync(Ct);

        Assert.Equal(1, sender.Attempts);
        Assert.Equal("failed", Assert.Single(await harness.RowsAsync()).Status);
        Assert.Equal("channel_not_found", await harness.ScalarAsync<string>("SELECT error FROM chat_outbox"));
    }

    [Fact]
    public async Task RunOnceAsync_TransientFailures_BacksOffExponentiallyThenFailsAfterMaxAttempts()
    {
        using var harness = await OutboxHarness.CreateAsync(o => o.MaxAttempts = 3);
        var sender = new RecordingChatSender();
        for (var i = 0; i < 3; i++)
        {
            sender.Failures.Enqueue(new HttpRequestException("connection reset"));
        }

        var sut = harness.CreateWorker(sender);
        var start = harness.Time.GetUtcNow();
        await harness.Outbox.EnqueuePostAsync("k", Alerts, Text("x"), cancellationToken: Ct);

        var next = await sut.RunOnceAsync(Ct);
        Assert.Equal(start + TimeSpan.FromSeconds(2), next);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        next = await sut.RunOnceAsync(Ct);
        Assert.Equal(start + TimeSpan.FromSeconds(6), next);
        harness.Time.Advance(TimeSpan.FromSeconds(3));
        await sut.RunOnceAsync(Ct);
        Assert.Equal(2, sender.Attempts);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        next = await sut.RunOnceAsync(Ct);

        Assert.Null(next);
        Assert.Equal(3, sender.Attempts);
        Assert.Equal("failed", Assert.Single(await harness.RowsAsync()).Status);
    }

    [Fact]
    public async Task RunOnceAsync_NoSenderForPlatform_FailsWithReason()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sut = harness.CreateWorker(new RecordingChatSender("slack"));
        await harness.Outbox.EnqueuePostAsync("k", new ChatDestination("teams", "19:abc"), Text("x"), cancellationToken: Ct);

        await sut.RunOnceAsync(Ct);

        Assert.Equal("failed", Assert.Single(await harness.RowsAsync()).Status);
        Assert.Contains("teams", await harness.ScalarAsync<string>("SELECT error FROM chat_outbox"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_ThousandAlertsInTenSecondsIntoOneChannelAtOnePerSecond_AllRepresentedWithinAMinute()
    {
        using var harness = await OutboxHarness.CreateAsync(o => o.Limits["slack"] = new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 1 });
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);

        for (var second = 0; second < 60; second++)
        {
            if (second < 10)
            {
                for (var i = 0; i < 100; i++)
                {
                    var n = (second * 100) + i;
                    await harness.Outbox.EnqueuePostAsync($"alert:{n}:firing", Alerts, Text($"alert {n} firing\nsecond line"), digestAs: "alert", cancellationToken: Ct);
                    if (i % 25 == 0)
                    {
                        await sut.RunOnceAsync(Ct);
                    }
                }
            }

            await sut.RunOnceAsync(Ct);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await sut.RunOnceAsync(Ct);

        var sent = sender.Posts.ToList();
        Assert.True(sent.Count < 61, $"{sent.Count} messages sent");
        TestContext.Current.TestOutputHelper?.WriteLine($"{sent.Count} messages sent for 1,000 alerts");
        var represented = 0;
        foreach (var message in sent)
        {
            var header = DigestHeader().Match(message.Message.Text);
            represented += header.Success ? int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture) : 1;
        }

        Assert.Equal(1000, represented);
        var rows = await harness.RowsAsync();
        var sentKeys = rows.Where(r => r.Status == "sent").Select(r => r.Key).ToHashSet();
        var alerts = rows.Where(r => r.Key.StartsWith("alert:", StringComparison.Ordinal)).ToList();
        Assert.Equal(1000, alerts.Count);
        Assert.All(alerts, a => Assert.True(a.Status == "sent" || (a.Status == "digested" && sentKeys.Contains(a.DigestedInto!)), $"{a.Key} is {a.Status}"));
        Assert.Equal(0, (await harness.Metrics.CollectAsync(Ct)).Sum(m => m.Depth));
    }

    [Fact]
    public async Task RunOnceAsync_BurstOfProgressPosts_NeverMerged()
    {
        using var harness = await OutboxHarness.CreateAsync(o => o.Limits["slack"] = new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 1 });
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        for (var i = 0; i < 10; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"run:{i}:progress", Alerts, Text($"run {i}"), cancellationToken: Ct);
        }

        for (var second = 0; second < 10; second++)
        {
            await sut.RunOnceAsync(Ct);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"run {i}"), sender.Calls.Select(c => c.Message.Text));
    }

    [Fact]
    public async Task EnqueueUpdateAsync_PostMergedIntoDigest_EditPostedUnderTheDigestAndLaterEditsEditIt()
    {
        using var harness = await OutboxHarness.CreateAsync(o => o.Limits["slack"] = new() { TokenInterval = TimeSpan.FromSeconds(1), Burst = 1 });
        var sender = new RecordingChatSender();
        var sut = harness.CreateWorker(sender);
        for (var i = 0; i < 8; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"alert:{i}", Alerts, Text($"alert {i}"), digestAs: "alert", cancellationToken: Ct);
        }

        await sut.RunOnceAsync(Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await sut.RunOnceAsync(Ct);
        var digest = sender.Calls.Last();
        Assert.StartsWith("*7 alerts*", digest.Message.Text, StringComparison.Ordinal);

        await harness.Outbox.EnqueueUpdateAsync("alert:5", Alerts, Text("alert 5 acknowledged"), Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await sut.RunOnceAsync(Ct);
        await harness.Outbox.EnqueueUpdateAsync("alert:5", Alerts, Text("alert 5 resolved"), Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await sut.RunOnceAsync(Ct);

        var calls = sender.Calls.ToList();
        Assert.Equal(("post", digest.MessageId, "alert 5 acknowledged"), (calls[^2].Verb, calls[^2].ThreadOf, calls[^2].Message.Text));
        Assert.Equal(("update", calls[^2].MessageId, "alert 5 resolved"), (calls[^1].Verb, calls[^1].MessageId, calls[^1].Message.Text));
        Assert.Equal(calls[^2].MessageId, await harness.Outbox.GetMessageIdAsync("alert:5", Ct));
    }

    [Fact]
    public async Task RunOnceAsync_WebchatUnlimited_SendsEverythingInOneRound()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender("webchat");
        var sut = harness.CreateWorker(sender);
        for (var i = 0; i < 50; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"pulse:{i}", new ChatDestination("webchat", "pulse"), Text($"pulse {i}"), digestAs: "pulse", cancellationToken: Ct);
        }

        await sut.RunOnceAsync(Ct);

        Assert.Equal(50, sender.Calls.Count);
    }

    [Fact]
    public async Task StartAsync_MessageEnqueued_HostedLoopDeliversIt()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var sender = new RecordingChatSender();
        using var sut = harness.CreateWorker(sender);
        await sut.StartAsync(Ct);
        try
        {
            await harness.Outbox.EnqueuePostAsync("k", Alerts, Text("hello"), cancellationToken: Ct);
            await WaitForMessageIdAsync(harness, "k");
        }
        finally
        {
            await sut.StopAsync(Ct);
        }

        Assert.Equal("hello", Assert.Single(sender.Calls).Message.Text);
    }

    [Fact]
    public async Task StartAsync_OneDestinationStuckMidSend_OtherDestinationsStillDelivered()
    {
        using var harness = await OutboxHarness.CreateAsync();
        var slack = new HangingChatSender("slack");
        var webchat = new RecordingChatSender("webchat");
        using var sut = harness.CreateWorker(slack, webchat);
        await sut.StartAsync(Ct);
        try
        {
            await harness.Outbox.EnqueuePostAsync("stuck", Alerts, Text("slow"), cancellationToken: Ct);
            await Wait.ForAsync(slack.Entered, "the stuck post's send");
            await harness.Outbox.EnqueuePostAsync("quick", new ChatDestination("webchat", "ops"), Text("fast"), cancellationToken: Ct);

            await WaitForMessageIdAsync(harness, "quick");
        }
        finally
        {
            slack.Release("ts-1");
            await sut.StopAsync(Ct);
        }

        Assert.Equal("fast", Assert.Single(webchat.Calls).Message.Text);
    }

    private static Task WaitForMessageIdAsync(OutboxHarness harness, string key) =>
        Wait.ForAsync(() => harness.Outbox.GetMessageIdAsync(key, Ct), $"the outbox to record {key}'s message id");

    private static OutgoingMessage Text(string text) => OutgoingMessage.Plain(text);

    [GeneratedRegex(@"^\*(\d+) alerts?\*")]
    private static partial Regex DigestHeader();
}
