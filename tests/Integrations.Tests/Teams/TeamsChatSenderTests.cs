using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Teams.Cards;
using ChatOps.Integrations.Teams.Connector;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>
/// TeamsChatSender through the real token, typed client, authentication handler and retry pipeline, over HTTP to a
/// Connector peer that checks every call against the swagger and every activity and card against their schemas.
/// </summary>
public sealed class TeamsChatSenderTests : IAsyncLifetime
{
    private const string Channel = "19:ops@thread.tacv2";
    private static readonly ChatDestination Destination = new("teams", Channel);

    private ConnectorPeer _peer = null!;
    private TeamsConversationsInMemory _conversations = null!;

    public async ValueTask InitializeAsync()
    {
        _peer = await ConnectorPeer.StartAsync(Ct);
        _conversations = new TeamsConversationsInMemory().Add(_peer, Channel);
    }

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostAsync_MessageWithButtons_OneActivityWithOneValidCard()
    {
        await using var services = TeamsTestServices.Create(_peer, _conversations);
        var sut = services.GetRequiredService<TeamsChatSender>();
        var message = new OutgoingMessage
        {
            Text = "⏳ *alice* is bringing up `test`\n⬜ Start web-1",
            Context = ["run 7 · requested by alice"],
            Buttons = [new ChatButton("cancel-run:7", "Cancel run", ButtonStyle.Danger)],
            DeliveryKey = "run:7",
        };

        var id = await sut.PostAsync(Destination, message, cancellationToken: Ct);

        var posted = Assert.Single(_peer.ActivitiesIn(Channel));
        Assert.Equal(id, posted.Id);
        Assert.Null(posted.ReplyToId);
        Assert.Equal("message", posted.Current["type"]!.GetValue<string>());
        var action = Assert.Single(posted.Card!["actions"]!.AsArray())!;
        Assert.Equal(("Action.Execute", "cancel-run:7", "cancel-run:7", "destructive"), (action["type"]!.GetValue<string>(), action["verb"]!.GetValue<string>(), action["data"]![AdaptiveCardRenderer.ActionIdKey]!.GetValue<string>(), action["style"]!.GetValue<string>()));
        Assert.Equal(AdaptiveCardRenderer.DeliveryElementId("run:7"), posted.Card["body"]![0]!["id"]!.GetValue<string>());
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task PostAsync_InThreadThenUpdate_ReplyUnderTheParentAndTheCardReplacedInPlace()
    {
        await using var services = TeamsTestServices.Create(_peer, _conversations);
        var sut = services.GetRequiredService<TeamsChatSender>();

        var parent = await sut.PostAsync(Destination, OutgoingMessage.Plain("⏳ step 1"), cancellationToken: Ct);
        var reply = await sut.PostAsync(Destination, OutgoingMessage.Plain("output line"), parent, Ct);
        await sut.UpdateAsync(Destination, parent, OutgoingMessage.Plain("✅ done"), Ct);

        var activities = _peer.ActivitiesIn(Channel);
        Assert.Equal([parent, reply], activities.Select(a => a.Id));
        Assert.Equal(parent, activities[1].ReplyToId);
        Assert.Equal(2, activities[0].Versions.Count);
        Assert.Equal("✅ done", activities[0].Card!["body"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(parent, activities[0].Current["id"]!.GetValue<string>());
        Assert.Contains(_peer.Requests, r => r.Method == "PUT" && r.Path.EndsWith($"/activities/{parent}", StringComparison.Ordinal));
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task PostAsync_ConversationNeverSeen_PermanentFailureAndNoRequest()
    {
        await using var services = TeamsTestServices.Create(_peer, _conversations);
        var sut = services.GetRequiredService<TeamsChatSender>();

        var failure = await Assert.ThrowsAsync<TeamsConnectorException>(() => sut.PostAsync(new ChatDestination("teams", "19:nowhere@thread.tacv2"), OutgoingMessage.Plain("hello"), cancellationToken: Ct));

        Assert.True(failure.IsPermanent);
        Assert.Contains("19:nowhere@thread.tacv2", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_peer.Requests);
    }

    [Fact]
    public async Task PostAsync_Throttled_WaitsOutRetryAfterAndPostsOnce()
    {
        await using var services = TeamsTestServices.Create(_peer, _conversations);
        var sut = services.GetRequiredService<TeamsChatSender>();
        _peer.FailNext(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(1));
        _peer.FailNext(HttpStatusCode.TooManyRequests);

        var id = await sut.PostAsync(Destination, OutgoingMessage.Plain("alert #1"), cancellationToken: Ct);

        Assert.Equal(id, Assert.Single(_peer.ActivitiesIn(Channel)).Id);
        Assert.Equal([429, 429, 200], _peer.Requests.Select(r => r.Status));
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task PostAsync_ServerError_NotRepeatedAndSaysTheOutcomeIsUnknown()
    {
        await using var services = TeamsTestServices.Create(_peer, _conversations);
        var sut = services.GetRequiredService<TeamsChatSender>();
        _peer.FailNext(HttpStatusCode.InternalServerError);

        var failure = await Assert.ThrowsAsync<TeamsConnectorException>(() => sut.PostAsync(Destination, OutgoingMessage.Plain("alert #2"), cancellationToken: Ct));

        Assert.False(failure.IsPermanent);
        Assert.True(failure.OutcomeUnknown);
        Assert.Equal(HttpStatusCode.InternalServerError, failure.StatusCode);
        Assert.Equal("ServiceError", failure.Code);
        Assert.Single(_peer.Requests);
    }

    [Fact]
    public async Task UpdateAsync_ServerErrorThenDroppedAnswer_RetriedUntilTheCardIsReplaced()
    {
        await using var services = TeamsTestServices.Create(_peer, _conversations);
        var sut = services.GetRequiredService<TeamsChatSender>();
        var id = await sut.PostAsync(Destination, OutgoingMessage.Plain("step 1"), cancellationToken: Ct);
        _peer.FailNext(HttpStatusCode.ServiceUnavailable, method: "PUT");
        _peer.DropNextAnswer("PUT");

        await sut.UpdateAsync(Destination, id, OutgoingMessage.Plain("step 2"), Ct);

        var card = Assert.Single(_peer.ActivitiesIn(Channel));
        Assert.Equal("step 2", card.Card!["body"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(3, _peer.Requests.Count(r => r.Method == "PUT"));
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task PostAsync_TokenRevoked_FetchesANewTokenOnceAndPostsOnce()
    {
        await using var services = TeamsTestServices.Create(_peer, _conversations);
        var sut = services.GetRequiredService<TeamsChatSender>();
        await sut.PostAsync(Destination, OutgoingMessage.Plain("first"), cancellationToken: Ct);
        _peer.RevokeIssuedTokens();

        await sut.PostAsync(Destination, OutgoingMessage.Plain("second"), cancellationToken: Ct);

        Assert.Equal(2, _peer.ActivitiesIn(Channel).Count);
        Assert.Equal(2, _peer.TokenRequests);
        Assert.Equal([200, 401, 200], _peer.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task PostAsync_BadRequest_PermanentWithTheConnectorsCode()
    {
        await using var services = TeamsTestServices.Create(_peer, _conversations);
        var sut = services.GetRequiredService<TeamsChatSender>();
        _peer.FailNext(HttpStatusCode.Forbidden);

        var failure = await Assert.ThrowsAsync<TeamsConnectorException>(() => sut.PostAsync(Destination, OutgoingMessage.Plain("x"), cancellationToken: Ct));

        Assert.True(failure.IsPermanent);
        Assert.Contains("HTTP 403", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostAsync_EscalationWithMention_TextCarriesTheMentionEntity()
    {
        await using var services = TeamsTestServices.Create(_peer, _conversations);
        var sut = services.GetRequiredService<TeamsChatSender>();
        const string person = "0b3f9a52-6c1e-4d7a-9f08-2e5c7d1b4a66";

        await sut.PostAsync(Destination, OutgoingMessage.Plain($"📟 <at>{person}</at>: alert #4 *Disk full* has been firing for 10 minutes"), cancellationToken: Ct);

        var posted = Assert.Single(_peer.ActivitiesIn(Channel)).Current;
        Assert.Contains($"<at>{person}</at>", posted["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("**Disk full**", posted["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var mention = Assert.Single(posted["entities"]!.AsArray())!;
        Assert.Equal(("mention", $"<at>{person}</at>", person), (mention["type"]!.GetValue<string>(), mention["text"]!.GetValue<string>(), mention["mentioned"]!["id"]!.GetValue<string>()));
        Assert.Null(posted["attachments"]);
        Assert.Empty(_peer.ContractViolations);
    }
}
