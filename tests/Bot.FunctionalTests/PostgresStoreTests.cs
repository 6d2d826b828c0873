using System.Net;
using System.Net.Http.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Hosting;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;
using ChatOps.TestCommon.Storage;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// The bot as a real process with <c>Storage:Provider=Postgres</c> on a real PostgreSQL server of the test's own: it answers,
/// keeps its state across a restart, refuses to start against a server it cannot reach, and refuses writes (503) while
/// the server is gone without losing what it acknowledged.
/// </summary>
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private readonly BotRoot _root = new("chatops-postgres-bot-");
    private PostgresCluster _cluster = null!;
    private PostgresDatabase _database = null!;

    private Dictionary<string, string> Settings => new()
    {
        ["Storage__Provider"] = "Postgres",
        ["Storage__ConnectionString"] = _database.ConnectionString,
    };

    public async ValueTask InitializeAsync()
    {
        _cluster = await PostgresCluster.StartNewAsync();
        _database = await _cluster.CreateDatabaseAsync();
    }

    [Fact]
    public async Task Bot_OnPostgres_AnswersHelpAndKeepsItsStateAcrossARestart()
    {
        string asked;
        await using (var bot = await BotProcess.StartAsync(_root.Path, Settings))
        {
            asked = await bot.Chat.SayAsync("carol", "help");
            var answer = await bot.Chat.BotReplyAsync(asked);
            Assert.Contains("help", answer.Text, StringComparison.OrdinalIgnoreCase);
            await bot.StopAsync(TimeSpan.FromSeconds(30));
        }

        Assert.False(File.Exists(_root.StateDatabase), "a SQLite file was written beside the PostgreSQL store");
        await using var restarted = await BotProcess.StartAsync(_root.Path, Settings);
        var kept = await restarted.Chat.MessagesAsync(viewer: "carol");
        Assert.Contains(kept, m => m.Id == asked && m.Text == "help");
        Assert.Contains(kept, m => m.User == "bot" && ChatApi.Seq(m.Id) > ChatApi.Seq(asked));
        var again = await restarted.Chat.SayAsync("carol", "help");
        Assert.True(ChatApi.Seq(again) > ChatApi.Seq(asked));
        await restarted.Chat.BotReplyAsync(again);
    }

    [Fact]
    public async Task Start_PostgresServerDown_ExitsWithOneLineNamingTheServer()
    {
        await _cluster.StopAsync();

        var (exitCode, output, error) = await BotProcess.RunUntilExitAsync(_root.Path, "http://127.0.0.1:0", Settings);

        Assert.Equal(BotRunner.CannotStart, exitCode);
        var line = Assert.Single((output + error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            l => l.StartsWith("chatops:", StringComparison.Ordinal));
        Assert.StartsWith($"chatops: cannot use the state store PostgreSQL 127.0.0.1:{_cluster.Port}/{_database.Name}:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresSettingsIncomplete_ListsEveryProblemNamingTheSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = "Username=chatops;Password=hunter2",
            ["Storage__MaxSizeBytes"] = "1000000",
        };

        var (exitCode, output, error) = await BotProcess.RunUntilExitAsync(_root.Path, "http://127.0.0.1:0", settings);

        Assert.Equal(BotRunner.CannotStart, exitCode);
        Assert.Contains("Storage:ConnectionString names no Host", error, StringComparison.Ordinal);
        Assert.Contains("Storage:ConnectionString names no Database", error, StringComparison.Ordinal);
        Assert.Contains("Storage:MaxSizeBytes", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output + error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ServerStoppedWhileRunning_RefusedWith503AndNothingAcknowledgedIsLost()
    {
        await using var bot = await BotProcess.StartAsync(_root.Path, Settings);
        var before = await bot.Chat.SayAsync("carol", "help");
        await bot.Chat.BotReplyAsync(before);

        await _cluster.StopAsync();
        var refused = await bot.Http.PostAsJsonAsync("/api/chat/messages", new { channel = "ops", user = "carol", text = "help" }, TestContext.Current.CancellationToken);
        var problem = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var health = await bot.Http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        await _cluster.StartAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("Nothing was saved: the state store cannot be opened or reached", problem, StringComparison.Ordinal);
        // The server's address is for the host's log and its operator, not for every chat client.
        Assert.DoesNotContain($"127.0.0.1:{_cluster.Port}", problem, StringComparison.Ordinal);
        Assert.Contains(bot.Output.Split('\n'), line => line.Contains("/api/chat/messages failed:", StringComparison.Ordinal)
            && line.Contains($"127.0.0.1:{_cluster.Port}", StringComparison.Ordinal));
        Assert.NotEqual(HttpStatusCode.OK, health.StatusCode);
        var after = await Wait.ForAsync(async () => await TrySayAsync(bot, "help"), "the bot to take a message once the server is back");
        // Help is answered to its asker alone: read the channel as carol.
        await bot.Chat.WaitForAsync(m => m.FirstOrDefault(r => r.User == "bot" && ChatApi.Seq(r.Id) > ChatApi.Seq(after)), viewer: "carol");
        var messages = await bot.Chat.MessagesAsync(viewer: "carol");
        Assert.Contains(messages, m => m.Id == before);
        Assert.Equal(2, messages.Count(m => m.User == "carol"));
    }

    public async ValueTask DisposeAsync()
    {
        _root.Dispose();
        await _database.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    /// <summary>Says <paramref name="text"/> and returns the message's id, or null while the bot still refuses it.</summary>
    private static async Task<string?> TrySayAsync(BotProcess bot, string text)
    {
        var response = await bot.Http.PostAsJsonAsync("/api/chat/messages", new { channel = "ops", user = "carol", text }, TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("id").GetString();
    }
}
