using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon.Processes;
using ChatOps.TestCommon.Storage;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// The move to several replicas as an operator makes it: a bot on SQLite keeps a conversation and is stopped, the real
/// binary's <c>storage-copy</c> copies its file into an empty PostgreSQL database, and the bot started on PostgreSQL
/// shows that conversation and goes on numbering after it.
/// </summary>
public sealed class StorageCopyTests : IAsyncLifetime
{
    private readonly BotRoot _root = new("chatops-storage-copy-bot-");
    private PostgresDatabase _database = null!;

    private Dictionary<string, string> OnPostgres => new()
    {
        ["Storage__Provider"] = "Postgres",
        ["Storage__ConnectionString"] = _database.ConnectionString,
    };

    public async ValueTask InitializeAsync() => _database = await (await PostgresCluster.Shared).CreateDatabaseAsync();

    [Fact]
    public async Task StorageCopy_StoppedSqliteBot_ItsConversationContinuesOnPostgres()
    {
        string asked;
        await using (var bot = await BotProcess.StartAsync(_root.Path))
        {
            asked = await bot.Chat.SayAsync("carol", "help");
            await bot.Chat.BotReplyAsync(asked);
            await bot.StopAsync(TimeSpan.FromSeconds(30));
        }

        var copy = await BotProcess.RunCommandAsync(_root.Path, OnPostgres, "storage-copy", "--from", _root.StateDatabase);
        var again = await BotProcess.RunCommandAsync(_root.Path, OnPostgres, "storage-copy", "--from", _root.StateDatabase);

        Assert.True(copy.ExitCode == 0, copy.StandardError);
        Assert.Contains("webchat_messages", copy.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds rows in", again.StandardError, StringComparison.Ordinal);

        await using var onPostgres = await BotProcess.StartAsync(_root.Path, OnPostgres);
        var kept = await onPostgres.Chat.MessagesAsync(viewer: "carol");
        Assert.Contains(kept, m => m.Id == asked && m.Text == "help");
        Assert.Contains(kept, m => m.User == "bot" && ChatApi.Seq(m.Id) > ChatApi.Seq(asked));
        var next = await onPostgres.Chat.SayAsync("carol", "help");
        Assert.True(ChatApi.Seq(next) > kept.Max(m => ChatApi.Seq(m.Id)));
        await onPostgres.Chat.BotReplyAsync(next);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _root.Dispose();
    }
}
