using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Slack;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Tests.Chat.Outbox;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Slack;

/// <summary>
/// SlackChatSender through the real typed client and handlers, over HTTP, to a loopback peer that
/// holds each channel to one message per second with 429 + Retry-After.
/// </summary>
public sealed class SlackChatSenderEndToEndTests : IAsyncLifetime
{
    private SlackPeer _peer = null!;

    public async ValueTask InitializeAsync() => _peer = await SlackPeer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task Outbox_BurstToOneChannel_AllArriveInOrderOnce()
    {
        // Ordering and pacing per channel are the outbox's: one message of a destination at a time.
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        // Resolved the way the host finds a platform's sender: through the IChatSender registrations.
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        var destination = new ChatDestination("slack", "C0BURST");
        for (var i = 0; i < 5; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"burst:{i}", destination, OutgoingMessage.Plain($"message {i}"), cancellationToken: Ct);
        }

        await DispatchUntilSentAsync(harness, worker, 5);

        var arrived = _peer.MessagesIn("C0BURST");
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"message {i}"), arrived.Select(m => m.Text));
        Assert.Equal(arrived.Select(m => m.Ts), (await harness.RowsAsync()).Select(r => r.MessageId));
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task Outbox_UnpacedBurstFasterThanTheChannelAllows_PeerRefusalsPauseTheChannelAndAllArriveInOrderOnce()
    {
        // With no pacing of its own, the outbox meets the peer's 429s: the client hands each back at once with its
        // Retry-After, the channel pauses (for every replica), and the refused message goes again after it, its attempt uncounted.
        using var harness = await OutboxHarness.CreateAsync(o => o.Limits["slack"] = new() { TokenInterval = TimeSpan.Zero }, start: TimeProvider.System.GetUtcNow());
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        var destination = new ChatDestination("slack", "C0RUSH");
        for (var i = 0; i < 4; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"rush:{i}", destination, OutgoingMessage.Plain($"rush {i}"), cancellationToken: Ct);
        }

        await DispatchUntilSentAsync(harness, worker, 4);

        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"rush {i}"), _peer.MessagesIn("C0RUSH").Select(m => m.Text));
        Assert.True(_peer.RateLimitedCount > 0, "the peer never refused a message, so Retry-After was not exercised");
        Assert.Equal(1L, await harness.Database.ReadAsync(c => c.ScalarAsync("SELECT MAX(attempts) FROM chat_outbox", null, Ct), Ct));
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task PostAsync_ForOnePerson_PostsEphemerallyToThemInTheThread()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sut = services.GetRequiredService<SlackChatSender>();
        var destination = new ChatDestination("slack", "C0HELP");
        var ct = TestContext.Current.CancellationToken;

        var id = await sut.PostAsync(destination, new OutgoingMessage { Text = "Here is what I can do", VisibleTo = "U0CAROL" }, "1700000000.000100", ct);

        var posted = Assert.Single(_peer.EphemeralIn("C0HELP"));
        Assert.Equal(("U0CAROL", "Here is what I can do", "1700000000.000100", id), (posted.VisibleTo, posted.Text, posted.ThreadTs, posted.Ts));
        Assert.Empty(_peer.MessagesIn("C0HELP"));
        Assert.DoesNotContain(_peer.Requests, r => r.Uri.AbsolutePath.EndsWith("/chat.postMessage", StringComparison.Ordinal));
        Assert.Empty(_peer.ContractViolations);
        Assert.False(sut.CanFind(new OutgoingMessage { Text = "x", VisibleTo = "U0CAROL" }));
        Assert.True(sut.CanFind(OutgoingMessage.Plain("x")));
    }

    [Fact]
    public async Task Outbox_SeveralEdits_LastOneWins()
    {
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var worker = harness.CreateWorker(services.GetRequiredService<SlackChatSender>());
        var destination = new ChatDestination("slack", "C0PROGRESS");
        await harness.Outbox.EnqueuePostAsync("progress", destination, OutgoingMessage.Plain("step 0"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 1);

        for (var i = 1; i <= 4; i++)
        {
            await harness.Outbox.EnqueueUpdateAsync("progress", destination, OutgoingMessage.Plain($"step {i}"), Ct);
        }

        await Wait.UntilAsync(async () =>
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            await worker.RunOnceAsync(Ct);
            return _peer.MessagesIn("C0PROGRESS") is [{ Text: "step 4" }];
        }, "the last edit to land");

        var message = Assert.Single(_peer.MessagesIn("C0PROGRESS"));
        Assert.Equal("step 4", message.Text);
        Assert.InRange(message.Edits, 1, 4);
    }

    [Fact]
    public async Task PostAsync_ThreadReplyAndButtons_RenderedAsBlockKit()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sut = services.GetRequiredService<SlackChatSender>();
        var destination = new ChatDestination("slack", "C0ALERTS");
        var ct = TestContext.Current.CancellationToken;
        var parent = await sut.PostAsync(destination, OutgoingMessage.Plain("alert 42 firing"), cancellationToken: ct);

        await AfterRefusalsAsync(() => sut.PostAsync(destination, new OutgoingMessage { Text = "ack?", Buttons = [new("alert:ack:42", "Acknowledge", ButtonStyle.Primary)] },
            threadOf: parent, cancellationToken: ct));

        var reply = _peer.MessagesIn("C0ALERTS")[1];
        Assert.Equal(parent, reply.ThreadTs);
        var button = reply.Blocks![^1]!["elements"]![0]!;
        Assert.Equal("alert:ack:42", button["action_id"]!.GetValue<string>());
        Assert.Equal("primary", button["style"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostAsync_ToUserId_ReturnsChannelQualifiedIdThatUpdates()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sut = services.GetRequiredService<SlackChatSender>();
        var destination = new ChatDestination("slack", "U0ONCALL");
        var ct = TestContext.Current.CancellationToken;

        var id = await sut.PostAsync(destination, OutgoingMessage.Plain("you are paged"), cancellationToken: ct);
        await sut.UpdateAsync(destination, id, OutgoingMessage.Plain("acknowledged"), ct);

        Assert.StartsWith("D0ONCALL|", id, StringComparison.Ordinal);
        Assert.Equal("acknowledged", Assert.Single(_peer.MessagesIn("D0ONCALL")).Text);
    }

    [Fact]
    public async Task PostAsync_WithImage_UploadsThenShowsItInTheMessage()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sut = services.GetRequiredService<SlackChatSender>();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };

        await sut.PostAsync(new ChatDestination("slack", "C0PULSE"), new OutgoingMessage { Text = "12.4 thousand logins", Image = new ChatImage("logins, last hour", png) }, cancellationToken: TestContext.Current.CancellationToken);

        var message = Assert.Single(_peer.MessagesIn("C0PULSE"));
        var image = message.Blocks!.Single(b => b!["type"]!.GetValue<string>() == "image")!;
        var fileId = image["slack_file"]!["id"]!.GetValue<string>();
        Assert.Equal(png, _peer.Upload(fileId));
        Assert.True(_peer.IsUploadCompleted(fileId));
        Assert.Equal("logins, last hour", image["alt_text"]!.GetValue<string>());
        Assert.Equal([null], _peer.UploadAuthorizationHeaders);
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task PostAsync_UnknownChannel_ThrowsNotFoundAndLaterPostsStillRun()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl);
        var sut = services.GetRequiredService<SlackChatSender>();
        var ct = TestContext.Current.CancellationToken;

        var e = await Assert.ThrowsAsync<SlackApiException>(() => sut.PostAsync(new ChatDestination("slack", SlackPeer.MissingChannel), OutgoingMessage.Plain("x"), cancellationToken: ct));
        await sut.PostAsync(new ChatDestination("slack", SlackPeer.MissingChannel), OutgoingMessage.Plain("y"), cancellationToken: ct).ContinueWith(_ => { }, ct, TaskContinuationOptions.None, TaskScheduler.Default);
        await sut.PostAsync(new ChatDestination("slack", "C0FINE"), OutgoingMessage.Plain("fine"), cancellationToken: ct);

        Assert.Equal(SlackErrorKind.NotFound, e.Kind);
        Assert.Single(_peer.MessagesIn("C0FINE"));
    }

    [Fact]
    public async Task PostAsync_WrongBotToken_ThrowsAuthentication()
    {
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl, new Dictionary<string, string?> { ["Slack:BotToken"] = "xoxb-wrong" });

        var e = await Assert.ThrowsAsync<SlackApiException>(() => services.GetRequiredService<SlackChatSender>().PostAsync(new ChatDestination("slack", "C1"), OutgoingMessage.Plain("x"), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(SlackErrorKind.Authentication, e.Kind);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A second post into a channel within a second is refused by the peer, and the client hands the 429 back to its
    /// caller (the outbox pauses the channel); called directly, this waits out the Retry-After as the outbox would.
    /// </summary>
    private static async Task<T> AfterRefusalsAsync<T>(Func<Task<T>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (SlackApiException e) when (e.Kind == SlackErrorKind.RateLimited && e.RetryAfter is { } wait && attempt < 5)
            {
                await Task.Delay(wait, TimeProvider.System, Ct);
            }
        }
    }

    /// <summary>Runs outbox rounds, a second of the outbox's clock apart, until <paramref name="count"/> posts are sent.</summary>
    private static Task DispatchUntilSentAsync(OutboxHarness harness, QueueWorker<ChatDestination, OutboxWork> worker, int count) =>
        Wait.UntilAsync(async () =>
        {
            await worker.RunOnceAsync(Ct);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            return (await harness.RowsAsync()).Count(r => r.Status == "sent") == count;
        }, $"{count} posts sent");
}
