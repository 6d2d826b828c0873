using System.Net;
using System.Text.Json.Nodes;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;
using ChatOps.TestCommon.Teams;

namespace ChatOps.Bot.FunctionalTests.Teams;

/// <summary>
/// The bot as a real process, told by a local Bot Framework (its token keys) and a local Connector that it is in a
/// Teams channel: <c>@ChatOps up test</c> is answered at once and one card shows the run until the end;
/// <c>/env destroy test</c> asks for confirmation on a card, and the Confirm press (an <c>Action.Execute</c> invoke)
/// is answered with the card's new state and destroys the environment.
/// </summary>
public sealed class TeamsProcessTests : IAsyncLifetime
{
    private readonly BotRoot _root = new("chatops-teams-");
    private BotFrameworkAuthPeer _auth = null!;
    private ConnectorPeer _connector = null!;
    private TeamsDeliveries _teams = null!;
    private BotProcess _bot = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _auth = await BotFrameworkAuthPeer.StartAsync(Ct);
        _auth.AddKey(TeamsDeliveries.KeyId);
        _connector = await ConnectorPeer.StartAsync(Ct);
        _teams = new TeamsDeliveries(_auth, _connector);
        var settings = _teams.Settings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        settings["Radiator__Simulator__Enabled"] = "false";
        _bot = await BotProcess.StartAsync(_root.Path, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _auth.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task UpThenDestroy_FromATeamsChannel_RunsOnOneCardEachAndConfirmsThroughTheInvoke()
    {
        using var up = await _bot.Http.SendAsync(TeamsDeliveries.Request(_teams.Message("up test"), _teams.Token()), Ct);
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);

        var upCard = await Wait.ForAsync(() => CardSaying("*test* is up") ?? CardSaying("test is up"), "the run's card saying test is up", lastSeen: Seen);
        Assert.True(upCard.Versions.Count > 1, "the run's card was posted once and updated in place");
        Assert.Single(_connector.ActivitiesIn(TeamsDeliveries.Channel), a => a.Id == upCard.Id);

        using var destroy = await _bot.Http.SendAsync(TeamsDeliveries.Request(_teams.Message("/env destroy test"), _teams.Token()), Ct);
        Assert.Equal(HttpStatusCode.OK, destroy.StatusCode);
        var (prompt, confirm) = await Wait.ForAsync(() => ConfirmButton(), "a card with a Confirm button", lastSeen: Seen);

        using var press = await _bot.Http.SendAsync(TeamsDeliveries.Request(_teams.Press(prompt.Id, confirm), _teams.Token()), Ct);
        Assert.Equal(HttpStatusCode.OK, press.StatusCode);
        var answer = JsonNode.Parse(await press.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
        Assert.Contains($"{TeamsDeliveries.UserName} pressed", answer["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(answer["value"]!["actions"]);

        await Wait.ForAsync(() => CardSaying("is destroyed"), "a card saying test is destroyed", lastSeen: Seen);
        Assert.Empty(_connector.ContractViolations);
    }

    private PeerActivity? CardSaying(string text) =>
        _connector.ActivitiesIn(TeamsDeliveries.Channel).FirstOrDefault(a => a.Current.ToJsonString().Contains(text, StringComparison.Ordinal));

    private Tuple<PeerActivity, string>? ConfirmButton()
    {
        foreach (var activity in _connector.ActivitiesIn(TeamsDeliveries.Channel))
        {
            var verb = activity.Card?["actions"]?.AsArray().OfType<JsonObject>()
                .FirstOrDefault(a => a["title"]?.GetValue<string>() == "Confirm")?["verb"]?.GetValue<string>();
            if (verb is not null)
            {
                return Tuple.Create(activity, verb);
            }
        }

        return null;
    }

    private string Seen() =>
        string.Join("\n", _connector.ActivitiesIn(TeamsDeliveries.Channel).Select(a => a.Current.ToJsonString())) + "\n" + _bot.Output;
}
