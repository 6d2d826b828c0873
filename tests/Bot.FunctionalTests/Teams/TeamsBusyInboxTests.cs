using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests.Teams;

/// <summary>
/// A full inbox: a message activity is answered 503 with Retry-After, so the Bot Framework delivers it again later,
/// and is not kept; a button press, which cannot be delivered again, is answered with an invoke message saying so.
/// </summary>
public sealed class TeamsBusyInboxTests : IAsyncLifetime
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
        _connector = await ConnectorPeer.StartAsync(Ct);
        _teams = new TeamsDeliveries(_auth, _connector);
        var settings = _teams.Settings();
        // One waiting delivery fills the inbox; paused, nothing drains it.
        settings["Inbound:Capacity"] = "1";
        settings["Inbound:Paused"] = "true";
        _factory = new BotFactory(settings: settings);
        _http = _factory.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        await _connector.DisposeAsync();
        await _auth.DisposeAsync();
    }

    [Fact]
    public async Task Post_InboxFull_MessageIs503WithRetryAfterAndPressIsToldBusy()
    {
        using var kept = await _http.SendAsync(TeamsDeliveries.Request(_teams.Message("status test", id: "1"), _teams.Token()), Ct);
        using var refused = await _http.SendAsync(TeamsDeliveries.Request(_teams.Message("up test", id: "2"), _teams.Token()), Ct);
        using var press = await _http.SendAsync(TeamsDeliveries.Request(_teams.Press("999", "decision:1:confirm"), _teams.Token()), Ct);

        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        var busy = JsonNode.Parse(await press.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("application/vnd.microsoft.activity.message", busy["type"]!.GetValue<string>());
        Assert.Equal(ChatInbox.BusyText, busy["value"]!.GetValue<string>());
        var inbox = await _factory.Services.GetRequiredService<StateDatabase>().ReadAsync(
            c => c.QueryAsync("SELECT delivery_id FROM inbox ORDER BY seq", null, r => r.GetString(0), Ct), Ct);
        Assert.Equal(["teams:1"], inbox);
    }
}
