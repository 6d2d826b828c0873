using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Slack;
using ChatOps.Integrations.Tests.Slack;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

/// <summary>
/// The outbox over the real Slack adapter and a spec-checking Slack peer: a post Slack accepted whose
/// completion was never recorded is found by its block id and not posted again.
/// </summary>
public sealed class SlackDeliveryRecoveryTests : IAsyncLifetime
{
    private static readonly ChatDestination Alerts = new("slack", "C0ALERTS");

    private SlackPeer _peer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _peer = await SlackPeer.StartAsync(Ct);
        _peer.ChannelInterval = TimeSpan.Zero;
    }

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task RunOnceAsync_SlackTookThePostButTheAnswerWasLost_RetryRecordsItWithoutPostingAgain()
    {
        using var harness = await CreateHarnessAsync();
        await using var services = CreateSlack();
        var sut = harness.CreateWorker(services.GetRequiredService<SlackChatSender>());
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        _peer.DropPostResponses(1);

        await sut.RunOnceAsync(Ct);
        Assert.Equal("pending", Assert.Single(await harness.RowsAsync()).Status);
        harness.Time.Advance(harness.Options.InitialBackoff);
        await sut.RunOnceAsync(Ct);

        var message = Assert.Single(_peer.MessagesIn("C0ALERTS"));
        Assert.Equal(("sent", message.Ts), Assert.Single(await harness.RowsAsync()) is var row ? (row.Status, row.MessageId) : default);
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task RunOnceAsync_DispatcherDiedAfterSlackTookThePost_NextDispatcherRecordsItWithoutPostingAgain()
    {
        using var harness = await CreateHarnessAsync();
        await using var services = CreateSlack();
        var slack = services.GetRequiredService<SlackChatSender>();
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        await harness.Outbox.EnqueuePostAsync("alert:2", Alerts, OutgoingMessage.Plain("cpu hot"), cancellationToken: Ct);
        var dying = new DiesAfterPostingSender(slack);
        _ = harness.CreateWorker(dying).RunOnceAsync(Ct);
        await Wait.ForAsync(dying.Posted, "the post before the worker dies");

        harness.Time.Advance(harness.Options.ClaimLease);
        await harness.CreateWorker(slack).RunOnceAsync(Ct);

        var messages = _peer.MessagesIn("C0ALERTS");
        Assert.Equal(["disk full", "cpu hot"], messages.Select(m => m.Text));
        Assert.Equal(messages.Select(m => m.Ts), (await harness.RowsAsync()).Select(r => r.MessageId));
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task RunOnceAsync_HistoryUnavailable_NothingPostedBlindlyAndFoundOnceItAnswers()
    {
        using var harness = await CreateHarnessAsync();
        await using var services = CreateSlack();
        var sut = harness.CreateWorker(services.GetRequiredService<SlackChatSender>());
        await LoseTheAnswerToAPostAsync(harness, sut);
        _peer.HistoryError = "request_timeout";

        harness.Time.Advance(harness.Options.InitialBackoff);
        await sut.RunOnceAsync(Ct);
        Assert.Single(_peer.MessagesIn("C0ALERTS"));
        Assert.Equal("pending", Assert.Single(await harness.RowsAsync()).Status);

        _peer.HistoryError = null;
        harness.Time.Advance(harness.Options.InitialBackoff * 2);
        await sut.RunOnceAsync(Ct);

        var message = Assert.Single(_peer.MessagesIn("C0ALERTS"));
        Assert.Equal(("sent", message.Ts), Assert.Single(await harness.RowsAsync()) is var row ? (row.Status, row.MessageId) : default);
    }

    [Fact]
    public async Task RunOnceAsync_HistoryScopeNotGranted_PostsAgainRatherThanNever()
    {
        using var harness = await CreateHarnessAsync();
        await using var services = CreateSlack();
        var sut = harness.CreateWorker(services.GetRequiredService<SlackChatSender>());
        await LoseTheAnswerToAPostAsync(harness, sut);
        _peer.HistoryError = "missing_scope";

        harness.Time.Advance(harness.Options.InitialBackoff);
        await sut.RunOnceAsync(Ct);

        // An install without the history scopes keeps the old at-least-once behaviour, logged.
        Assert.Equal(2, _peer.MessagesIn("C0ALERTS").Count);
        Assert.Equal("sent", Assert.Single(await harness.RowsAsync()).Status);
    }

    [Fact]
    public async Task RunOnceAsync_EphemeralAnswerLost_PostsItAgainWithoutLookingInHistory()
    {
        using var harness = await CreateHarnessAsync();
        await using var services = CreateSlack();
        var sut = harness.CreateWorker(services.GetRequiredService<SlackChatSender>());
        await harness.Outbox.EnqueuePostAsync("reply:1", Alerts, new OutgoingMessage { Text = "Here is what I can do", VisibleTo = "U0CAROL" }, cancellationToken: Ct);
        _peer.DropPostResponses(1);
        await sut.RunOnceAsync(Ct);
        Assert.Equal("pending", Assert.Single(await harness.RowsAsync()).Status);
        // A lookup would fail and hold the row back; it must not be made.
        _peer.HistoryError = "request_timeout";

        harness.Time.Advance(harness.Options.InitialBackoff);
        await sut.RunOnceAsync(Ct);

        // No history lists an ephemeral message, so the one whose answer was lost is repeated: the accepted cost.
        Assert.Equal(["U0CAROL", "U0CAROL"], _peer.EphemeralIn("C0ALERTS").Select(m => m.VisibleTo));
        Assert.Empty(_peer.MessagesIn("C0ALERTS"));
        Assert.Equal("sent", Assert.Single(await harness.RowsAsync()).Status);
        Assert.DoesNotContain(_peer.Requests, r => r.Uri.AbsolutePath.EndsWith("/conversations.history", StringComparison.Ordinal));
        Assert.Empty(_peer.ContractViolations);
    }

    /// <summary>Queues one alert, and Slack takes it but its answer is lost: the post is in the channel, its row waits for a retry.</summary>
    private async Task LoseTheAnswerToAPostAsync(OutboxHarness harness, QueueWorker<ChatDestination, OutboxWork> sut)
    {
        await harness.Outbox.EnqueuePostAsync("alert:1", Alerts, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        _peer.DropPostResponses(1);
        await sut.RunOnceAsync(Ct);
    }

    /// <summary>Slack stamps messages with the real clock; the outbox's clock starts there so its windows line up.</summary>
    private static Task<OutboxHarness> CreateHarnessAsync() => OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());

    private ServiceProvider CreateSlack() => SlackTestServices.Create(_peer.ApiBaseUrl);
}
