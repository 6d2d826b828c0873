using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Teams;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests.Teams;

/// <summary>
/// <c>/api/messages</c> through the real host, its tokens checked against a local OpenID metadata and key peer and its
/// answers going to a local Connector. What an unverified request changed is read from the real stores: the inbox's
/// table and the conversation references (<see cref="ITeamsConversations"/>).
/// </summary>
public sealed class TeamsMessagesEndpointTests : IAsyncLifetime
{
    private BotFrameworkAuthPeer _auth = null!;
    private ConnectorPeer _connector = null!;
    private BotFactory _factory = null!;
    private TeamsDeliveries _teams = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _auth = await BotFrameworkAuthPeer.StartAsync(Ct);
        _auth.AddKey(TeamsDeliveries.KeyId);
        _auth.AddKey("unpublished", publish: false);
        _connector = await ConnectorPeer.StartAsync(Ct);
        _teams = new TeamsDeliveries(_auth, _connector);
        _factory = new BotFactory(settings: _teams.Settings());
        _http = _factory.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        await _connector.DisposeAsync();
        await _auth.DisposeAsync();
    }

    public static TheoryData<string> Forgeries() => ["none", "unknown key", "wrong audience", "wrong issuer", "expired", "serviceurl mismatch", "garbage"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Post_UnverifiedActivity_Is401AndChangesNothing(string forgery)
    {
        var token = forgery switch
        {
            "none" => null,
            "unknown key" => _teams.Token(keyId: "unpublished"),
            "wrong audience" => _teams.Token(audience: Guid.NewGuid().ToString()),
            "wrong issuer" => _teams.Token(issuer: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"),
            "expired" => _teams.Token(expires: TimeProvider.System.GetUtcNow().AddMinutes(-6)),
            "serviceurl mismatch" => _teams.Token(serviceUrl: "https://evil.example.com/amer/"),
            _ => "not.a.jwt",
        };

        using var response = await _http.SendAsync(TeamsDeliveries.Request(_teams.Message("up test"), token), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Not a verified Bot Framework request", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await InboxAsync());
        Assert.Null(await ReferenceAsync(TeamsDeliveries.Channel));
    }

    [Fact]
    public async Task Post_VerifiedMention_Is200KeptInTheInboxOnceAndRemembersTheConversation()
    {
        var activity = _teams.Message("status test", id: "1700000000001");

        using var first = await _http.SendAsync(TeamsDeliveries.Request(activity, _teams.Token()), Ct);
        using var again = await _http.SendAsync(TeamsDeliveries.Request(activity, _teams.Token()), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["teams:1700000000001"], await InboxAsync());
        var reference = await ReferenceAsync(TeamsDeliveries.Channel);
        Assert.NotNull(reference);
        Assert.Equal(_teams.ServiceUrl, reference.ServiceUrl.AbsoluteUri);
        Assert.Equal(ConnectorPeer.BotId, reference.BotId);
        Assert.Equal(ConnectorPeer.TenantId, reference.TenantId);
    }

    [Fact]
    public async Task Post_BotAddedToAChannel_StoresItsReferenceAndRunsNothing()
    {
        using var response = await _http.SendAsync(TeamsDeliveries.Request(_teams.BotAdded("19:alerts@thread.tacv2"), _teams.Token()), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await ReferenceAsync("19:alerts@thread.tacv2"));
        Assert.Empty(await InboxAsync());
    }

    [Fact]
    public async Task Post_BotAddedToATeam_KeepsTheTeamsGroupIdThroughLaterActivitiesThatDoNotSayIt()
    {
        const string team = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b";
        using var added = await _http.SendAsync(TeamsDeliveries.Request(_teams.BotAdded(TeamsDeliveries.Channel, team), _teams.Token()), Ct);
        var message = _teams.Message("help");
        using var spoken = await _http.SendAsync(TeamsDeliveries.Request(message, _teams.Token()), Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (added.StatusCode, spoken.StatusCode));
        var reference = await ReferenceAsync(TeamsDeliveries.Channel);
        Assert.NotNull(reference);
        Assert.Equal(("channel", team), (reference.ConversationType, reference.TeamId));
    }

    [Fact]
    public async Task Post_VerifiedButNotJson_Is400NamingWhy()
    {
        using var response = await _http.SendAsync(TeamsDeliveries.Request("{\"type\": \"message\",", _teams.Token()), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the body is not JSON", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await InboxAsync());
    }

    [Fact]
    public async Task Post_ActivityWithoutConversation_Is400NamingTheMissingPart()
    {
        var activity = _teams.Message("up test");
        activity.Remove("conversation");

        using var response = await _http.SendAsync(TeamsDeliveries.Request(activity, _teams.Token()), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the activity has no conversation.id", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_FromAPublicHostName_IsNotRefusedByTheHostCheck()
    {
        using var request = TeamsDeliveries.Request(_teams.Message("status test"), _teams.Token());
        request.Headers.Host = "chatops.contoso.example";
        request.Headers.Add("X-Forwarded-For", "52.112.0.1");

        using var response = await _http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_SenderWithoutObjectId_IsToldWhyAndRunsNothing()
    {
        var activity = _teams.Message("up test");
        activity["from"]!.AsObject().Remove("aadObjectId");

        using var response = await _http.SendAsync(TeamsDeliveries.Request(activity, _teams.Token()), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await InboxAsync());
        var refusal = await Wait.ForAsync(() => _connector.ActivitiesIn(TeamsDeliveries.Channel) is [var first, ..] ? first : null, "the refusal in the channel");
        Assert.Contains("Entra ID", refusal.Current.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_PressOnACardTheOutboxDoesNotKnow_IsAnsweredWithAMessage()
    {
        using var response = await _http.SendAsync(TeamsDeliveries.Request(_teams.Press("999", "decision:1:confirm"), _teams.Token()), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());
    }

    private async Task<List<string>> InboxAsync() =>
        await _factory.Services.GetRequiredService<StateDatabase>().ReadAsync(
            c => c.QueryAsync("SELECT delivery_id FROM inbox ORDER BY seq", null, r => r.GetString(0), Ct), Ct);

    private Task<TeamsConversationReference?> ReferenceAsync(string conversationId) =>
        _factory.Services.GetRequiredService<ITeamsConversations>().FindAsync(conversationId, Ct);
}
