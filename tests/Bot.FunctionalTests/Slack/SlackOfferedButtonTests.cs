using System.Net;

namespace ChatOps.Bot.FunctionalTests.Slack;

/// <summary>A "Did you mean …?" button pressed in Slack: signed, bound to its message and its person, run through the typed path.</summary>
public sealed class SlackOfferedButtonTests : IAsyncLifetime
{
    private SlackHost _host = null!;

    private SlackDeliveries Slack => _host.Slack;

    public async ValueTask InitializeAsync() => _host = await SlackHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SignedPress_OfTheCorrection_AnswersTheStatusOnce_AndSomeoneElsesPressIsRefused()
    {
        await Slack.SlashCommandAsync("U0CAROL", SlackHost.Channel, "/env", "stauts test", userName: "carol");
        var suggestion = await _host.WaitForAsync(ms => ms.FirstOrDefault(m => SlackHost.ActionIds(m).Any(a => a.StartsWith("offer:", StringComparison.Ordinal))));
        Assert.Contains("Did you mean `status`?", suggestion.Text);
        var offer = Assert.Single(SlackHost.ActionIds(suggestion));

        var refused = await Slack.PressAsync("U0DAVE", SlackHost.Channel, suggestion.Ts, offer);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.ThreadTs == suggestion.Ts && m.Text.Contains("offered to carol")));

        var pressed = await Slack.PressAsync("U0CAROL", SlackHost.Channel, suggestion.Ts, offer);

        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.ThreadTs is null && m.Text.Contains("(Local provider)")));
        await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.Ts == suggestion.Ts && SlackHost.ActionIds(m).Count == 0 && m.Edits > 0));

        // A stale copy of the message, pressed again: the button was spent.
        await Slack.PressAsync("U0CAROL", SlackHost.Channel, suggestion.Ts, offer);
        await _host.WaitForAsync(ms => ms.FirstOrDefault(m => m.ThreadTs == suggestion.Ts && m.Text.Contains("already answered")));
        Assert.Single(_host.TopLevel(), m => m.Text.Contains("(Local provider)", StringComparison.Ordinal));
        Assert.Empty(_host.Peer.ContractViolations);
    }
}
