using System.Net;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Teams.Cards;
using ChatOps.Integrations.Teams.Graph;
using ChatOps.Integrations.Tests.Chat.Outbox;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Graph;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Testing;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>The Teams sender behind the real outbox (SQLite, its worker and pacing), over HTTP to the Connector peer and, for posts whose answer was lost, the Graph peer.</summary>
public sealed class TeamsOutboxTests : IAsyncLifetime
{
    private const string Channel = "19:alerts@thread.tacv2";
    private static readonly ChatDestination Destination = new("teams", Channel);

    private const string TeamId = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b";

    private ConnectorPeer _peer = null!;
    private GraphPeer _graph = null!;

    public async ValueTask InitializeAsync()
    {
        _peer = await ConnectorPeer.StartAsync(Ct);
        _graph = await GraphPeer.StartAsync(_peer, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _graph.DisposeAsync();
        await _peer.DisposeAsync();
    }

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
    /// The Connector took the post but its answer was lost, so the outbox does not know the card's id. Before posting
    /// again it asks Graph for the channel's recent messages, finds the one whose card carries the outbox key, and adopts
    /// it: one card, and the run's later edits go to it.
    /// </summary>
    [Fact]
    public async Task Outbox_PostAnswerLost_FoundThroughGraphPostedOnceAndLaterEditsGoToIt()
    {
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        _graph.AddChannel(TeamId, Channel);
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, Channel, teamId: TeamId), graph: _graph);
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        _peer.DropNextAnswer("POST");

        await harness.Outbox.EnqueuePostAsync("run:42", Destination, OutgoingMessage.Plain("⏳ provisioning web 1.2.3"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 1);
        Assert.True(await harness.Outbox.EnqueueUpdateAsync("run:42", Destination, OutgoingMessage.Plain("✅ web 1.2.3 is up"), Ct));
        await DispatchUntilAsync(worker, harness, () => _peer.ActivitiesIn(Channel) is [{ Versions.Count: >= 3 }], "the edit to reach the adopted card");

        var card = Assert.Single(_peer.ActivitiesIn(Channel));
        Assert.Equal(card.Id, Assert.Single(await harness.RowsAsync()).MessageId);
        Assert.Equal("✅ web 1.2.3 is up", card.Card!["body"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(AdaptiveCardRenderer.DeliveryElementId("run:42"), card.Card!["body"]![0]!["id"]!.GetValue<string>());
        Assert.Contains(_graph.Requests, r => r is { Status: 200 } && r.Path == $"/teams/{TeamId}/channels/{Channel}/messages");
        Assert.Equal(1, _peer.GraphTokenRequests);
        Assert.Empty(_peer.ContractViolations);
        Assert.Empty(_graph.ContractViolations);
        Assert.Equal(HealthStatus.Healthy, (await GraphHealthAsync(services)).Status);
    }

    /// <summary>
    /// Graph answers 403 where the app's resource-specific consent was not granted: the lookup cannot tell, so the
    /// outbox posts again (the reader may see two cards) rather than lose the message, and /healthz says why.
    /// </summary>
    [Fact]
    public async Task Outbox_PostAnswerLostAndGraphRefuses_PostedAgainNothingLostAndHealthSaysWhy()
    {
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        _graph.AddChannel(TeamId, Channel);
        _graph.Refuse(Channel);
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, Channel, teamId: TeamId), graph: _graph);
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        _peer.DropNextAnswer("POST");

        await harness.Outbox.EnqueuePostAsync("deploy:42:" + Destination, Destination, OutgoingMessage.Plain("🚀 web 1.2.3 deployed"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 1);

        // A second lost answer there is posted again too, and the refusal is not said again.
        _peer.DropNextAnswer("POST");
        await harness.Outbox.EnqueuePostAsync("deploy:41:" + Destination, Destination, OutgoingMessage.Plain("🚀 web 1.2.2 deployed"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 2);

        var copies = _peer.ActivitiesIn(Channel).Where(c => c.Card!["body"]![0]!["id"]!.GetValue<string>() == AdaptiveCardRenderer.DeliveryElementId("deploy:42:" + Destination)).ToList();
        Assert.Equal(2, copies.Count);
        Assert.Equal(4, _peer.ActivitiesIn(Channel).Count);
        Assert.Equal(copies[1].Id, (await harness.RowsAsync()).Single(r => r.Key == "deploy:42:" + Destination).MessageId);
        Assert.Equal(2, _graph.Requests.Count(r => r.Status == 403));
        Assert.Single(services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 3782);
        var health = await GraphHealthAsync(services);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("resource-specific consent", health.Description, StringComparison.Ordinal);
        Assert.Contains(Channel, health.Data.Keys);
        Assert.Empty(_graph.ContractViolations);

        // Once the consent is granted there, Graph is asked again and the conversation leaves the list.
        _graph.Grant(Channel);
        _peer.DropNextAnswer("POST");
        await harness.Outbox.EnqueuePostAsync("deploy:43:" + Destination, Destination, OutgoingMessage.Plain("🚀 web 1.2.4 deployed"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 3);
        Assert.Equal(5, _peer.ActivitiesIn(Channel).Count);
        Assert.Equal(HealthStatus.Healthy, (await GraphHealthAsync(services)).Status);
    }

    /// <summary>
    /// Graph cannot answer for a moment (503): the lookup says nothing about the post, so nothing is posted; the
    /// outbox asks again after its backoff, finds the card and adopts it.
    /// </summary>
    [Fact]
    public async Task Outbox_PostAnswerLostAndGraphBusy_NothingPostedUntilGraphAnswersThenOneCard()
    {
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        _graph.AddChannel(TeamId, Channel);
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, Channel, teamId: TeamId), graph: _graph);
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        _peer.DropNextAnswer("POST");
        _graph.FailNext(HttpStatusCode.ServiceUnavailable);

        await harness.Outbox.EnqueuePostAsync("alert:3:firing", Destination, OutgoingMessage.Plain("🔥 5xx on web"), cancellationToken: Ct);
        await DispatchUntilAsync(worker, harness, () => _graph.Requests.Any(r => r.Status == 503), "Graph to answer 503");
        Assert.Single(_peer.ActivitiesIn(Channel));
        await DispatchUntilSentAsync(harness, worker, 1);

        var card = Assert.Single(_peer.ActivitiesIn(Channel));
        Assert.Equal(card.Id, Assert.Single(await harness.RowsAsync()).MessageId);
        Assert.Equal([503, 200], _graph.Requests.Select(r => r.Status));
        Assert.Equal(HealthStatus.Healthy, (await GraphHealthAsync(services)).Status);
    }

    /// <summary>
    /// More than a page of messages came after the lost post: the lookup follows Graph's <c>@odata.nextLink</c> (its
    /// <c>$skiptoken</c>) to the page that holds it.
    /// </summary>
    [Fact]
    public async Task Outbox_PostAnswerLostAndBuriedUnderAPageOfNewerMessages_FoundOnTheNextPage()
    {
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        _graph.AddChannel(TeamId, Channel);
        var conversations = new TeamsConversationsInMemory().Add(_peer, Channel, teamId: TeamId);
        await using var services = TeamsTestServices.Create(_peer, conversations, graph: _graph);
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        _peer.DropNextAnswer("POST");
        await harness.Outbox.EnqueuePostAsync("deploy:77", Destination, OutgoingMessage.Plain("🚀 api 4.0.0 deployed"), cancellationToken: Ct);
        await DispatchUntilAsync(worker, harness, () => _peer.ActivitiesIn(Channel).Count == 1, "the post whose answer is lost");

        // Others post in the channel meanwhile (straight through the Connector, as people and other bots do).
        var connector = services.GetRequiredService<Integrations.Teams.Connector.ITeamsConnector>();
        var reference = (await conversations.FindAsync(Channel, Ct))!;
        for (var i = 0; i < TeamsGraphClient.PageSize + 5; i++)
        {
            await connector.SendAsync(_peer.ServiceUrl, Channel, Integrations.Teams.Connector.TeamsActivities.Message(OutgoingMessage.Plain($"chatter {i}"), reference), Ct);
        }

        await DispatchUntilSentAsync(harness, worker, 1);

        var lost = _peer.ActivitiesIn(Channel)[0];
        Assert.Equal(lost.Id, Assert.Single(await harness.RowsAsync()).MessageId);
        Assert.Equal(TeamsGraphClient.PageSize + 6, _peer.ActivitiesIn(Channel).Count);
        Assert.Contains(_graph.Requests, r => r.Query.Contains("$skiptoken=", StringComparison.Ordinal));
        Assert.Equal(1, _peer.GraphTokenRequests);
        Assert.Empty(_graph.ContractViolations);
    }

    /// <summary>A cancelled lookup asks Graph nothing and says so by throwing, as a cancelled send does.</summary>
    [Fact]
    public async Task FindPostAsync_Cancelled_ThrowsAndAsksGraphNothing()
    {
        _graph.AddChannel(TeamId, Channel);
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, Channel, teamId: TeamId), graph: _graph);
        var lookup = (IChatPostLookup)services.GetServices<IChatSender>().Single(s => s.Platform == "teams");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lookup.FindPostAsync(Destination, "run:1", null, TimeProvider.System.GetUtcNow(), cancelled.Token));
        Assert.Empty(_graph.Requests);
    }

    /// <summary>A thread reply whose answer was lost is looked for among the thread's replies, not the channel's root messages.</summary>
    [Fact]
    public async Task Outbox_ThreadReplyAnswerLost_FoundAmongTheThreadsReplies()
    {
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        _graph.AddChannel(TeamId, Channel);
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, Channel, teamId: TeamId), graph: _graph);
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        await harness.Outbox.EnqueuePostAsync("run:7", Destination, OutgoingMessage.Plain("⏳ destroying test"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 1);
        _peer.DropNextAnswer("POST");

        await harness.Outbox.EnqueuePostAsync("run:7:detail:1", Destination, OutgoingMessage.Plain("node web-1 stopped"), threadOfKey: "run:7", cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 2);

        var root = _peer.ActivitiesIn(Channel).Single(a => a.ReplyToId is null);
        var reply = Assert.Single(_peer.ActivitiesIn(Channel), a => a.ReplyToId == root.Id);
        Assert.Equal(reply.Id, (await harness.RowsAsync()).Single(r => r.Key == "run:7:detail:1").MessageId);
        Assert.Contains(_graph.Requests, r => r.Path == $"/teams/{TeamId}/channels/{Channel}/messages/{root.Id}/replies");
        Assert.Empty(_graph.ContractViolations);
    }

    /// <summary>A group chat is listed as a chat, newest first.</summary>
    [Fact]
    public async Task Outbox_GroupChatPostAnswerLost_FoundThroughTheChatsMessages()
    {
        const string chat = "19:2da4c29f6d7041eca70b638b43d45437@thread.v2";
        var destination = new ChatDestination("teams", chat);
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        _graph.AddChat(chat);
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, chat, type: "groupChat"), graph: _graph);
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        _peer.DropNextAnswer("POST");

        await harness.Outbox.EnqueuePostAsync("alert:9:firing", destination, OutgoingMessage.Plain("🔥 disk full on db-1"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 1);

        var card = Assert.Single(_peer.ActivitiesIn(chat));
        Assert.Equal(card.Id, Assert.Single(await harness.RowsAsync()).MessageId);
        Assert.Contains(_graph.Requests, r => r.Path == $"/chats/{chat}/messages" && r.Query.Contains("$orderby=createdDateTime%20desc", StringComparison.Ordinal));
        Assert.Empty(_graph.ContractViolations);
    }

    /// <summary>
    /// A personal chat's Bot Framework id (<c>a:…</c>) is no Graph chat id: Graph is not asked, and the post goes out
    /// again rather than be lost.
    /// </summary>
    [Fact]
    public async Task Outbox_PersonalChatPostAnswerLost_NoGraphAddressSoPostedAgain()
    {
        const string personal = "a:1xZAdr8XUSqTzwNSzPfFfNsVw7Wf2Zl3m";
        var destination = new ChatDestination("teams", personal);
        using var harness = await OutboxHarness.CreateAsync(start: TimeProvider.System.GetUtcNow());
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory().Add(_peer, personal, type: "personal"), graph: _graph);
        var worker = harness.CreateWorker([.. services.GetServices<IChatSender>()]);
        _peer.DropNextAnswer("POST");

        await harness.Outbox.EnqueuePostAsync("reply:5", destination, OutgoingMessage.Plain("test is up"), cancellationToken: Ct);
        await DispatchUntilSentAsync(harness, worker, 1);

        Assert.Equal(2, _peer.ActivitiesIn(personal).Count);
        Assert.Empty(_graph.Requests);
        var health = await GraphHealthAsync(services);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Contains(personal, health.Data.Keys);
    }

    private static async Task<HealthReportEntry> GraphHealthAsync(IServiceProvider services) =>
        (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "teams-graph", Ct)).Entries["teams-graph"];

    private static Task DispatchUntilAsync(QueueWorker<ChatDestination, OutboxWork> worker, OutboxHarness harness, Func<bool> done, string what) =>
        Wait.UntilAsync(async () =>
        {
            await worker.RunOnceAsync(Ct);
            harness.Time.Advance(TimeSpan.FromSeconds(5));
            return done();
        }, what);

    private static Task DispatchUntilSentAsync(OutboxHarness harness, QueueWorker<ChatDestination, OutboxWork> worker, int count) =>
        Wait.UntilAsync(async () =>
        {
            await worker.RunOnceAsync(Ct);
            harness.Time.Advance(TimeSpan.FromSeconds(5));
            return (await harness.RowsAsync()).Count(r => r.Status == "sent") == count;
        }, $"{count} posts sent");
}
