using System.Net;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests.Slack;

/// <summary>
/// Slack's request URLs answer only after the delivery is kept in the inbox, and say 503 when it is
/// full. <c>Inbound:Paused</c> keeps the host from handling anything, so what is kept stays put.
/// </summary>
public sealed class SlackInboxTests : IAsyncLifetime
{
    private SlackHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await SlackHost.StartAsync(new Dictionary<string, string?> { ["Inbound:Paused"] = "true", ["Inbound:Capacity"] = "1" });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private Task<List<(string DeliveryId, string State)>> InboxAsync() =>
        _host.Factory.Services.GetRequiredService<StateDatabase>().ReadAsync(c => c.QueryAsync("SELECT delivery_id, state FROM inbox ORDER BY seq", null,
            r => (r.GetString(0), r.GetString(1)), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Event_Acknowledged_IsAlreadyKept()
    {
        var response = await _host.Slack.EventAsync(SlackDeliveries.Event("Ev0KEPT01", "U0CAROL", SlackHost.Channel, "<@U0BOT> status dev"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([("Ev0KEPT01", "received")], await InboxAsync());
    }

    [Fact]
    public async Task Events_InboxFull_NewOneIs503AndARetryOfTheKeptOneIs200()
    {
        var kept = SlackDeliveries.Event("Ev0FULL01", "U0CAROL", SlackHost.Channel, "<@U0BOT> status dev");

        var first = await _host.Slack.EventAsync(kept);
        var other = await _host.Slack.EventAsync(SlackDeliveries.Event("Ev0FULL02", "U0DAVE", SlackHost.Channel, "<@U0BOT> status test"));
        var slash = await _host.Slack.SlashCommandAsync("U0ERIN", SlackHost.Channel, "/env", "status dev");
        var retry = await _host.Slack.EventAsync(kept, retryNum: 1);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, other.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, slash.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal([("Ev0FULL01", "received")], await InboxAsync());
    }
}
