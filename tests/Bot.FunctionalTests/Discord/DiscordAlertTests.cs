using System.Net.Http.Json;
using ChatOps.TestCommon;
using Microsoft.Data.Sqlite;

namespace ChatOps.Bot.FunctionalTests.Discord;

/// <summary>
/// The bot as a real process with the radiator posting to a <c>discord:</c> channel: an alert arrives as one message
/// with an Acknowledge button; pressing it (a signed interaction of type 3) is acknowledged at once with type 6, and
/// the alert's message is then edited in place to say who acknowledged it, without the button.
/// </summary>
public sealed class DiscordAlertTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Alert_ToADiscordChannel_MessageWithAcknowledgeAndThePressAcknowledgesIt()
    {
        await using var host = await DiscordProcessHost.StartAsync(new Dictionary<string, string>
        {
            ["Radiator__Simulator__Enabled"] = "false",
            ["Radiator__Alerts__Channels__0"] = $"discord:{DiscordProcessHost.Channel}",
        });

        var raised = await host.Bot.Http.PostAsJsonAsync("/api/alerts", new[]
        {
            new { fingerprint = "disk-db-1", status = "firing", title = "Disk full on db-1", severity = "critical", labels = new { alertname = "DiskFull", host = "db-1" } },
        }, Ct);
        Assert.True(raised.IsSuccessStatusCode, await raised.Content.ReadAsStringAsync(Ct));

        var posted = await host.WaitForMessageAsync(m => m.Content.Contains("Disk full on db-1", StringComparison.Ordinal), "the alert in the Discord channel");
        var acknowledge = Assert.Single(posted.Components.SelectMany(r => r!["components"]!.AsArray()), b => b!["label"]!.GetValue<string>() == "Acknowledge")!;
        var customId = acknowledge["custom_id"]!.GetValue<string>();

        // A person presses once the bot has recorded its post, as anyone looking at the channel would.
        await Wait.UntilAsync(() => RecordedAsync(host, posted.Id), "the bot to record the alert's message id");
        var answer = await host.SendAsync(DiscordProcessHost.Press(DiscordProcessHost.NextId(), posted.Id, customId), posted.Id);

        Assert.Equal(6, answer["type"]!.GetValue<int>());
        var updated = await host.WaitForMessageAsync(
            m => m.Id == posted.Id && m.Edits > 0 && !DiscordProcessHost.CustomIds(m).Contains(customId), "the alert's message edited as acknowledged");
        Assert.Contains("Carol", updated.Content, StringComparison.Ordinal);
        Assert.Single(host.Peer.MessagesIn(DiscordProcessHost.Channel), m => m.Content.Contains("Disk full on db-1", StringComparison.Ordinal));
        Assert.Empty(host.Peer.SpecViolations);
    }

    private static async Task<bool> RecordedAsync(DiscordProcessHost host, string messageId)
    {
        await using var connection = new SqliteConnection($"Data Source={host.StateDatabase};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM chat_outbox WHERE message_id = $id AND status = 'sent'";
        command.Parameters.AddWithValue("$id", messageId);
        return (long)(await command.ExecuteScalarAsync(Ct))! > 0;
    }
}
