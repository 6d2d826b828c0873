using System.Text.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon.Processes;
using Microsoft.Data.Sqlite;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// kill -9 of the bot after it answered 202 for a command it had not handled yet: the command is
/// not lost, and runs once after the restart. One whose handling had begun is never run again; its
/// sender is told once. <c>Inbound:Paused</c> keeps the first process from handling anything, so the
/// kill always lands between the acknowledgement and the handling.
/// </summary>
public sealed class InboxRecoveryTests : IDisposable
{
    private readonly BotRoot _root = new("chatops-inbox-");

    private static Dictionary<string, string> Paused => new() { ["Inbound__Paused"] = "true" };

    /// <summary>Accepts a command in a bot that keeps but does not handle it, then kills that bot.</summary>
    private async Task<string> AcceptThenKillAsync(string text)
    {
        await using var bot = await BotProcess.StartAsync(_root.Path, Paused);
        var asked = await bot.Chat.SayAsync("carol", text);
        bot.Kill();
        return asked;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_root.StateDatabase}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Waits for the answer to a later command of the same person, so everything before it has been handled.</summary>
    private static async Task<List<ChatMessage>> BotMessagesAfterMarkerAsync(BotProcess bot)
    {
        var marker = await bot.Chat.SayAsync("carol", "/env status test");
        await bot.Chat.BotReplyAsync(marker, m => m.Text.Contains("test", StringComparison.Ordinal));
        return [.. (await bot.Chat.MessagesAsync()).Where(m => m.User == "bot" && m.Seq < ChatApi.Seq(marker))];
    }

    [Fact]
    public async Task AcceptedThenKilled_AfterRestart_RunsExactlyOnce()
    {
        var asked = await AcceptThenKillAsync("/env lock dev demo");

        await using var restarted = await BotProcess.StartAsync(_root.Path);
        var reply = await restarted.Chat.BotReplyAsync(asked, m => m.Text.Contains("*dev*", StringComparison.Ordinal));

        Assert.Contains("is yours", reply.Text, StringComparison.Ordinal);
        Assert.Single(await BotMessagesAfterMarkerAsync(restarted));
        var environment = await restarted.Chat.GetJsonAsync("/api/environments/dev");
        Assert.Equal("carol", environment.GetProperty("lock").GetProperty("holder").GetString());
        Assert.Single((await restarted.Chat.GetJsonAsync("/api/audit?env=dev")).EnumerateArray());
    }

    [Fact]
    public async Task StartedWhenKilled_AfterRestarts_NotRunAgainAndSenderToldOnce()
    {
        var asked = await AcceptThenKillAsync("/env lock dev demo");
        // The crash point: handling had begun (the row says so) but never finished.
        await ExecuteAsync("UPDATE inbox SET state = 'started', started_at = received_at WHERE state = 'received'");

        await using (var restarted = await BotProcess.StartAsync(_root.Path))
        {
            var notice = await restarted.Chat.BotReplyAsync(asked, m => m.Text.Contains("restarted while handling", StringComparison.Ordinal));
            Assert.Contains("\"/env lock dev demo\"", notice.Text, StringComparison.Ordinal);
            Assert.Contains("/env history", notice.Text, StringComparison.Ordinal);
            restarted.Kill();
        }

        await using var again = await BotProcess.StartAsync(_root.Path);
        var messages = await BotMessagesAfterMarkerAsync(again);

        Assert.Single(messages, m => m.Text.Contains("restarted while handling", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Text.Contains("is yours", StringComparison.Ordinal));
        var environment = await again.Chat.GetJsonAsync("/api/environments/dev");
        Assert.Equal(JsonValueKind.Null, environment.GetProperty("lock").ValueKind);
        Assert.Empty((await again.Chat.GetJsonAsync("/api/audit?env=dev")).EnumerateArray());
    }

    [Fact]
    public async Task StatusAcceptedWhilePaused_IsNotAnsweredThen_AndIsAnsweredOnceAfterRestart()
    {
        string asked;
        await using (var paused = await BotProcess.StartAsync(_root.Path, Paused))
        {
            asked = await paused.Chat.SayAsync("carol", "/env status test");
            // A paused inbox runs nothing, not even a command it could answer at once.
            Assert.DoesNotContain(await paused.Chat.MessagesAsync(), m => m.User == "bot" && m.Seq > ChatApi.Seq(asked));
            paused.Kill();
        }

        await using var restarted = await BotProcess.StartAsync(_root.Path);
        var reply = await restarted.Chat.BotReplyAsync(asked);

        Assert.Contains("*test* is", reply.Text, StringComparison.Ordinal);
        Assert.Single(await BotMessagesAfterMarkerAsync(restarted), m => m.Seq > ChatApi.Seq(asked));
    }

    public void Dispose()
    {
        _root.Dispose();
    }
}
