using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests.Alerts;

/// <summary>
/// Alerts under faults: a burst into a rate-limited channel, kill -9 in the middle of a burst, and kill -9
/// between a post reaching the channel and its being recorded.
/// </summary>
public sealed partial class AlertFaultTests : IAsyncDisposable
{
    private readonly BotRoot _root = new("chatops-alerts-");

    [Fact]
    public async Task Burst_1000AlertsIn10SecondsIntoAChannelOf1PerSecond_AllRepresentedWithinAMinute()
    {
        await using var factory = new BotFactory(settings: new Dictionary<string, string?>
        {
            ["ChatDelivery:Limits:webchat:TokenInterval"] = "00:00:01",
            ["ChatDelivery:Limits:webchat:Burst"] = "1",
            ["ChatDelivery:MaxDigestItems"] = "500",
            ["WebChat:HistoryLimit"] = "5000",
        });
        var chat = factory.Chat;
        var started = TimeProvider.System.GetTimestamp();
        for (var batch = 0; batch < 10; batch++)
        {
            var alerts = Enumerable.Range(batch * 100, 100).Select(i => Alert(i)).ToList();
            var response = await chat.Http.PostAsJsonAsync("/api/alerts", alerts, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode);
        }

        var sent = TimeProvider.System.GetElapsedTime(started);
        var represented = 0;
        await chat.WaitForAsync(messages =>
        {
            represented = Represented(messages);
            return represented >= 1000 ? messages[0] : null;
        }, channel: "alerts");
        var total = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(1000, Represented(await chat.MessagesAsync("alerts")));
        TestContext.Current.TestOutputHelper?.WriteLine($"1000 alerts sent in {sent.TotalSeconds:0.0}s, all represented after {total.TotalSeconds:0.0}s");
    }

    [Fact]
    public async Task KillDuringBurst_ThenRestartAndRedelivery_PostsEachAlertExactlyOnce()
    {
        var settings = new Dictionary<string, string>
        {
            ["Radiator__Simulator__Enabled"] = "false",
            ["ChatDelivery__SendTimeout"] = "00:00:02",
            ["ChatDelivery__ClaimLease"] = "00:00:05",
            ["WebChat__HistoryLimit"] = "5000",
        };
        const int Count = 300;
        await using (var bot = await BotProcess.StartAsync(_root.Path, settings))
        {
            var sends = Enumerable.Range(0, Count / 10).Select(b => bot.Http.PostAsJsonAsync("/api/alerts",
                Enumerable.Range(b * 10, 10).Select(i => Alert(i)).ToList(), TestContext.Current.CancellationToken)).ToList();
            // Kill once some alerts are out and others are not.
            await bot.Chat.WaitForAsync(ms => ms.Count(m => m.User == "bot") >= 20 ? ms[0] : null, channel: "alerts");
            bot.Kill();
            foreach (var send in sends)
            {
                try
                {
                    await send;
                }
                catch (HttpRequestException)
                {
                    // The process died under it: the sender re-delivers below, as Alertmanager does.
                }
            }
        }

        await using var restarted = await BotProcess.StartAsync(_root.Path, settings);
        for (var b = 0; b < Count / 10; b++)
        {
            var response = await restarted.Http.PostAsJsonAsync("/api/alerts", Enumerable.Range(b * 10, 10).Select(i => Alert(i)).ToList(), TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode);
        }

        await restarted.Chat.WaitForAsync(ms => ms.Count(m => m.User == "bot" && m.Text.Contains("Burst alert", StringComparison.Ordinal)) >= Count ? ms[0] : null, channel: "alerts");
        // A claim the killed process left is sent again once released; wait until no post or edit is waiting
        // or claimed, so nothing can reach the channel after the count below.
        await Wait.UntilAsync(async () => await UnfinishedOutboxRowsAsync() == 0, "the outbox to have nothing waiting or claimed", within: TimeSpan.FromMinutes(1));
        foreach (var line in restarted.Output.Split('\n').Where(l => l.Contains("never confirmed", StringComparison.Ordinal) || l.Contains("already reached", StringComparison.Ordinal)))
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line); // which claim the restart recovered, and how
        }

        var posted = (await restarted.Chat.MessagesAsync("alerts")).Where(m => m.User == "bot" && m.Text.Contains("Burst alert", StringComparison.Ordinal))
            .Select(m => AlertNumber().Match(m.Text).Value).ToList();

        // None lost, none repeated: the post in flight when the process died may have reached the channel
        // before its id was recorded; the web chat holds its delivery key and refuses it a second time, and
        // the recovered claim finds it by that key (Chat/Outbox/README.md).
        Assert.Equal(Count, posted.Distinct().Count());
        Assert.Equal(Count, posted.Count);
    }

    [Fact]
    public async Task KillAfterPostShownBeforeItWasRecorded_RestartFindsItAndPostsItNoMore()
    {
        var settings = new Dictionary<string, string>
        {
            ["Radiator__Simulator__Enabled"] = "false",
            ["ChatDelivery__SendTimeout"] = "00:00:02",
            ["ChatDelivery__ClaimLease"] = "00:00:05",
            // Paced, so the outbox's worker sends the post in a transaction of the web chat's own. Unpaced, the post would be
            // stored in the transaction that queues it, recorded sent there, and could not be left half done.
            ["ChatDelivery__Limits__webchat__TokenInterval"] = "00:00:00.010",
        };
        var ct = TestContext.Current.CancellationToken;
        await using (var bot = await BotProcess.StartAsync(_root.Path, settings))
        {
            Assert.True((await bot.Http.PostAsJsonAsync("/api/alerts", new[] { Alert(1) }, ct)).IsSuccessStatusCode);
            await bot.Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Burst alert 0001", StringComparison.Ordinal)), channel: "alerts");
            bot.Kill();
        }

        // What kill -9 leaves when it lands between the web chat taking the post and the outbox recording it:
        // the message is in the channel, its outbox row still claimed by the dead process and without an id.
        Assert.Equal(1, await ExecuteAsync(
            """
            UPDATE chat_outbox SET status = 'claimed', claim_token = 'dead-process', lease_until = 0, message_id = NULL, sent_at = NULL
            WHERE key LIKE 'alert:burst-1:fired-%' AND thread_of_key IS NULL
            """));

        await using var restarted = await BotProcess.StartAsync(_root.Path, settings);
        var recorded = await Wait.ForAsync(() => MessageIdAsync("alert:burst-1:fired-%"), "the recovered claim's message id", within: TimeSpan.FromMinutes(1));

        var posted = (await restarted.Chat.MessagesAsync("alerts")).Where(m => m.User == "bot" && m.Text.Contains("Burst alert", StringComparison.Ordinal)).ToList();
        Assert.Equal(Assert.Single(posted).Id, recorded);
        Assert.Contains("already reached the platform", restarted.Output, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync()
    {
        _root.Dispose();

        return ValueTask.CompletedTask;
    }

    /// <summary>Changes the stopped bot's state store directly, as a crash at a chosen moment would have left it.</summary>
    private async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_root.StateDatabase};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Posts and edits the running bot's outbox still holds pending or claimed.</summary>
    private async Task<long> UnfinishedOutboxRowsAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_root.StateDatabase};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM chat_outbox WHERE status IN ('pending', 'claimed'))
                 + (SELECT COUNT(*) FROM chat_outbox_edits WHERE status IN ('pending', 'claimed'))
            """;
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private async Task<string?> MessageIdAsync(string keyPattern)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_root.StateDatabase};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id FROM chat_outbox WHERE key LIKE $pattern AND thread_of_key IS NULL";
        command.Parameters.AddWithValue("$pattern", keyPattern);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) as string;
    }

    private static object Alert(int i) => new
    {
        fingerprint = $"burst-{i}",
        status = "firing",
        title = $"Burst alert {i.ToString("0000", CultureInfo.InvariantCulture)}",
        severity = "warning",
        labels = new { alertname = "Burst", environment = "test" },
    };

    /// <summary>Alerts a channel shows: one per alert message, N per digest headline "*N alerts*".</summary>
    private static int Represented(List<ChatMessage> messages) =>
        messages.Where(m => m.User == "bot").Sum(m => DigestCount().Match(m.Text) is { Success: true } d
            ? int.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture)
            : m.Text.Contains("Burst alert", StringComparison.Ordinal) ? 1 : 0);

    [GeneratedRegex(@"^\*(\d+) alerts\*")]
    private static partial Regex DigestCount();

    [GeneratedRegex(@"Burst alert \d{4}")]
    private static partial Regex AlertNumber();
}
