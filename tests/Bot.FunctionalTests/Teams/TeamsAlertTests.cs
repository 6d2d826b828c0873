using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Graph;
using ChatOps.TestCommon.Processes;
using ChatOps.TestCommon.Teams;

namespace ChatOps.Bot.FunctionalTests.Teams;

/// <summary>
/// The bot as a real process with Teams on: the Bot Framework's keys and the Connector (with its token endpoint) are
/// loopback peers that check every token, call, activity and card against the published specs. An alert routed to a
/// <c>teams:</c> channel arrives as one Adaptive Card with Acknowledge; pressing it (an <c>Action.Execute</c> invoke)
/// is answered with the card's new state and acknowledges the alert, whose card is then updated in place.
/// </summary>
public sealed class TeamsAlertTests : IAsyncLifetime
{
    private const string Conversation = "19:alerts@thread.tacv2";
    private const string KeyId = "bf-key-1";
    private const string Carol = "0b3f9a52-6c1e-4d7a-9f08-2e5c7d1b4a66";
    private const string TeamId = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b";

    private ConnectorPeer _connector = null!;
    private BotFrameworkAuthPeer _keys = null!;
    private BotRoot _root = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _connector = await ConnectorPeer.StartAsync(Ct);
        _keys = await BotFrameworkAuthPeer.StartAsync(Ct);
        _keys.AddKey(KeyId);
        _root = new BotRoot("chatops-teams-alert-");
    }

    public async ValueTask DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _keys.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task Alert_ToATeamsChannel_CardWithAcknowledgeAndThePressAcknowledgesIt()
    {
        await using var bot = await BotProcess.StartAsync(_root.Path, new Dictionary<string, string>
        {
            ["Teams__AppId"] = ConnectorPeer.AppId,
            ["Teams__TenantId"] = ConnectorPeer.TenantId,
            ["Teams__AppPassword"] = ConnectorPeer.AppPassword,
            ["Teams__OpenIdMetadataUrl"] = _keys.MetadataUrl.ToString(),
            ["Teams__TokenEndpoint"] = _connector.TokenEndpoint.ToString(),
            ["Radiator__Simulator__Enabled"] = "false",
            ["Radiator__Alerts__Channels__0"] = $"teams:{Conversation}",
        });

        // The app is added to the channel: the bot learns where the channel's Connector is.
        var added = await SendActivityAsync(bot, Activity("conversationUpdate", "update-1", new JsonObject
        {
            ["membersAdded"] = new JsonArray(new JsonObject { ["id"] = ConnectorPeer.BotId }),
        }));
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync(Ct));

        var raised = await bot.Http.PostAsJsonAsync("/api/alerts", new[]
        {
            new { fingerprint = "disk-db-1", status = "firing", title = "Disk full on db-1", severity = "critical", labels = new { alertname = "DiskFull", host = "db-1" } },
        }, Ct);
        Assert.True(raised.IsSuccessStatusCode, await raised.Content.ReadAsStringAsync(Ct));

        var posted = await Wait.ForAsync(() => _connector.ActivitiesIn(Conversation) is [var first, ..] ? first : null, "the alert's card in the Teams channel", lastSeen: () => string.Join('\n', bot.Problems()) + bot.Output);
        var acknowledge = posted.Card!["actions"]!.AsArray().Single(a => a!["title"]!.GetValue<string>() == "Acknowledge")!;
        Assert.Equal("positive", acknowledge["style"]!.GetValue<string>());

        await AcknowledgeAndSeeTheCardUpdatedAsync(bot, posted, acknowledge);
    }

    /// <summary>
    /// The Connector takes the alert's post but its answer is lost. Before posting again the bot asks Microsoft Graph
    /// for the channel's recent messages (the Graph peer lists what the Connector peer took), finds the card by the
    /// outbox key it carries, and adopts its id: one card, and the acknowledgement edits that card.
    /// </summary>
    [Fact]
    public async Task Alert_PostAnswerLost_FoundThroughGraphOneCardAndTheAcknowledgementEditsIt()
    {
        await using var graph = await GraphPeer.StartAsync(_connector, Ct);
        graph.AddChannel(TeamId, Conversation);
        await using var bot = await BotProcess.StartAsync(_root.Path, new Dictionary<string, string>
        {
            ["Teams__AppId"] = ConnectorPeer.AppId,
            ["Teams__TenantId"] = ConnectorPeer.TenantId,
            ["Teams__AppPassword"] = ConnectorPeer.AppPassword,
            ["Teams__OpenIdMetadataUrl"] = _keys.MetadataUrl.ToString(),
            ["Teams__TokenEndpoint"] = _connector.TokenEndpoint.ToString(),
            ["Teams__GraphBaseUrl"] = graph.BaseUrl.ToString(),
            ["ChatDelivery__InitialBackoff"] = "00:00:00.200",
            ["Radiator__Simulator__Enabled"] = "false",
            ["Radiator__Alerts__Channels__0"] = $"teams:{Conversation}",
        });

        // Added to the team: the activity carries the team's Entra ID group id, Graph's name for the team.
        var added = await SendActivityAsync(bot, Activity("conversationUpdate", "update-1", new JsonObject
        {
            ["membersAdded"] = new JsonArray(new JsonObject { ["id"] = ConnectorPeer.BotId }),
            ["channelData"] = new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = ConnectorPeer.TenantId },
                ["team"] = new JsonObject { ["id"] = Conversation, ["aadGroupId"] = TeamId },
                ["eventType"] = "teamMemberAdded",
            },
        }));
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync(Ct));
        _connector.DropNextAnswer("POST");

        var raised = await bot.Http.PostAsJsonAsync("/api/alerts", new[]
        {
            new { fingerprint = "disk-db-2", status = "firing", title = "Disk full on db-2", severity = "critical", labels = new { alertname = "DiskFull", host = "db-2" } },
        }, Ct);
        Assert.True(raised.IsSuccessStatusCode, await raised.Content.ReadAsStringAsync(Ct));

        var posted = await Wait.ForAsync(() => _connector.ActivitiesIn(Conversation) is [var first, ..] ? first : null, "the alert's card in the Teams channel", lastSeen: () => string.Join('\n', bot.Problems()) + bot.Output);
        await Wait.UntilAsync(() => RecordedAsync(posted.Id), "the bot to adopt the card Graph found", lastSeen: () => string.Join('\n', graph.Requests) + bot.Output);
        Assert.Single(_connector.ActivitiesIn(Conversation));
        Assert.Contains(graph.Requests, r => r.Status == 200 && r.Path == $"/teams/{TeamId}/channels/{Conversation}/messages");
        Assert.Empty(graph.ContractViolations);

        var acknowledge = posted.Card!["actions"]!.AsArray().Single(a => a!["title"]!.GetValue<string>() == "Acknowledge")!;
        await AcknowledgeAndSeeTheCardUpdatedAsync(bot, posted, acknowledge);
    }

    private async Task AcknowledgeAndSeeTheCardUpdatedAsync(BotProcess bot, PeerActivity posted, JsonNode acknowledge)
    {
        // A person presses after the bot has recorded its post (the peer shows the card a moment earlier); a press in
        // that moment is answered with a short message instead of the card, which is the inbound side's to test.
        await Wait.UntilAsync(() => RecordedAsync(posted.Id), "the bot to record the card's activity id");
        var pressed = await SendActivityAsync(bot, Activity("invoke", "invoke-1", new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["replyToId"] = posted.Id,
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject
                {
                    ["type"] = "Action.Execute",
                    ["verb"] = acknowledge["verb"]!.GetValue<string>(),
                    ["data"] = acknowledge["data"]!.DeepClone(),
                },
                ["trigger"] = "manual",
            },
        }));

        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        var answer = JsonNode.Parse(await pressed.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
        Assert.Null(answer["value"]!["actions"]);
        using (var card = System.Text.Json.JsonDocument.Parse(answer["value"]!.ToJsonString()))
        {
            Assert.Empty(ConnectorContract.Instance.CheckCard(card.RootElement));
        }

        // The acknowledgement edits the alert's one card in place: no Acknowledge button any more, and who did it.
        var updated = await Wait.ForAsync(
            () => _connector.ActivitiesIn(Conversation).FirstOrDefault(a => a.Id == posted.Id && a.Versions.Count > 1 && !HasAction(a.Card, "Acknowledge")),
            "the alert's card updated as acknowledged",
            lastSeen: () => string.Join('\n', _connector.ActivitiesIn(Conversation).Select(a => a.Current.ToJsonString())) + string.Join('\n', bot.Problems()));
        Assert.Contains("Carol", updated.Card!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(posted.Id, Assert.Single(_connector.ActivitiesIn(Conversation), a => a.ReplyToId is null).Id);
        Assert.Empty(_connector.ContractViolations);
    }

    private async Task<bool> RecordedAsync(string activityId)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_root.StateDatabase};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM chat_outbox WHERE message_id = $id AND status = 'sent'";
        command.Parameters.AddWithValue("$id", activityId);
        return (long)(await command.ExecuteScalarAsync(Ct))! == 1;
    }

    private static bool HasAction(JsonObject? card, string title) =>
        card?["actions"]?.AsArray().Any(a => a!["title"]!.GetValue<string>() == title) ?? false;

    private JsonObject Activity(string type, string id, JsonObject extra)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = id,
            ["timestamp"] = "2026-12-06T12:00:00.000Z",
            ["serviceUrl"] = _connector.ServiceUrl.ToString(),
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = "29:carol", ["name"] = "Carol", ["aadObjectId"] = Carol },
            ["conversation"] = new JsonObject { ["id"] = Conversation, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = ConnectorPeer.TenantId },
            ["recipient"] = new JsonObject { ["id"] = ConnectorPeer.BotId, ["name"] = "ChatOps" },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = ConnectorPeer.TenantId } },
        };
        foreach (var (key, value) in extra)
        {
            activity[key] = value?.DeepClone();
        }

        return activity;
    }

    /// <summary>Posts <paramref name="activity"/> to <c>/api/messages</c> as the Bot Framework does: with a token it signed for this bot and this service URL.</summary>
    private async Task<HttpResponseMessage> SendActivityAsync(BotProcess bot, JsonObject activity)
    {
        var now = TimeProvider.System.GetUtcNow();
        var token = _keys.IssueToken(KeyId, ConnectorPeer.AppId, _connector.ServiceUrl.ToString(), now.AddMinutes(-1), now.AddMinutes(10));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await bot.Http.SendAsync(request, Ct);
    }
}
