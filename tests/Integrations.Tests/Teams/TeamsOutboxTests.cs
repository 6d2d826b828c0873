using System.Net;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Teams.Cards;
using ChatOps.Integrations.Tests.Chat.Outbox;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>The Teams sender behind the real outbox (SQLite, its worker and pacing), over HTTP to the Connector peer.</summary>
public sealed class TeamsOutboxTests : IAsyncLifetime
{
    private const string Channel = "19:alerts@thread.tacv2";
    private static readonly ChatDestination Destination = new("teams", Channel);

    private ConnectorPeer _peer = null!;

    public async ValueTask InitializeAsync() => _peer = await ConnectorPeer.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Outbox_ThrottledLongerThanTheClientWaits_DestinationPausedThenAllPostedInOrderOnce()
    {
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, Channel));
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        // A minute is longer than the client waits itself: the outbox pauses the conversation for it.
        _peer.FailNext(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(60));
        for (var i = 0; i < 3; i++)
        {
            await harness.Outbox.EnqueuePostAsync($"alert:{i}:firing:{Destination}", Destination, OutgoingMessage.Plain($"alert #{i}"), cancellationToken: Ct);
        }

        await worker.RunOnceAsync(Ct);
        Assert.Empty(_peer.ActivitiesIn(Channel));
        await DispatchUntilSentAsync(harness, worker, 3);

        var posted = _peer.ActivitiesIn(Channel);
        Assert.Equal(["alert #0", "alert #1", "alert #2"], posted.Select(a => a.Card!["body"]![0]!["text"]!.GetValue<string>()));
        Assert.Equal(posted.Select(a => a.Id), (await harness.RowsAsync()).Select(r => r.MessageId));
        Assert.Equal(1, _peer.Requests.Count(r => r.Status == 429));
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task Outbox_RunCardEditedWhileThrottled_OneCardUpdatedInPlace()
    {
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, Channel));
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        await harness.Outbox.EnqueuePostAsync("run:9", Destination, OutgoingMessage.Plain("⏳ step 1"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 1);
        _peer.FailNext(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(1), method: "PUT");

        for (var step = 2; step <= 4; step++)
        {
            Assert.True(await harness.Outbox.EnqueueUpdateAsync("run:9", Destination, OutgoingMessage.Plain($"⏳ step {step}"), Ct));
        }

        await Wait.UntilAsync(async () =>
        {
            harness.Time.Advance(TimeSpan.FromSeconds(2));
            await worker.RunOnceAsync(Ct);
            return _peer.ActivitiesIn(Channel) is [{ } card] && card.Card!["body"]![0]!["text"]!.GetValue<string>() == "⏳ step 4";
        }, "the last edit to land");

        Assert.Single(_peer.ActivitiesIn(Channel));
        Assert.Contains(_peer.Requests, r => r is { Method: "PUT", Status: 429 });
        Assert.Empty(_peer.ContractViolations);
    }

    /// <summary>
    /// The Connector cannot be asked whether a post whose answer was lost went through (no idempotency key, no way to
    /// list a conversation's activities), so the outbox posts it again: the reader may see the card twice. Both copies
    /// carry the same delivery key; this test holds that behaviour explicit, so a change to it is a decision.
    /// </summary>
    [Fact]
    public async Task Outbox_PostAnswerLost_PostedAgainAndBothCopiesCarryTheKey()
    {
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, Channel));
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        _peer.DropNextAnswer("POST");

        await harness.Outbox.EnqueuePostAsync("deploy:42:" + Destination, Destination, OutgoingMessage.Plain("🚀 web 1.2.3 deployed"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 1);

        var copies = _peer.ActivitiesIn(Channel);
        Assert.Equal(2, copies.Count);
        Assert.All(copies, c => Assert.Equal(AdaptiveCardRenderer.DeliveryElementId("deploy:42:" + Destination), c.Card!["body"]![0]!["id"]!.GetValue<string>()));
        Assert.Equal(copies[1].Id, Assert.Single(await harness.RowsAsync()).MessageId);
    }

    private static Task DispatchUntilSentAsync(OutboxHarness harness, QueueWorker<ChatDestination, OutboxWork> worker, int count) =>
        Wait.UntilAsync(async () =>
        {
            await worker.RunOnceAsync(Ct);
            harness.Time.Advance(TimeSpan.FromSeconds(5));
            return (await harness.RowsAsync()).Count(r => r.Status == "sent") == count;
        }, $"{count} posts sent");
}
