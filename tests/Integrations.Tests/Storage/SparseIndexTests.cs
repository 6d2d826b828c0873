using System.Text.RegularExpressions;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.WebChat;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// Indexes that only some rows need hold only those rows, on either engine (each row left out is one index write fewer
/// per message), and the web chat's listing reads a channel's index from the first message it lists.
/// </summary>
public sealed class SparseIndexTests : IAsyncLifetime
{
    private TestDatabase _test = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private StateDatabase Database => _test.Database;

    public async ValueTask InitializeAsync() => _test = await TestDatabase.OpenAsync("indexes", schemas: [new WebChatSchema(), new OutboxSchema(), new InboxSchema()]);

    [Theory]
    [InlineData("ix_chat_outbox_digested", "digested_into IS NOT NULL")]
    [InlineData("ix_webchat_replies", "thread_of IS NOT NULL")]
    [InlineData("ix_inbox_lane_finished", "started_at IS NOT NULL")]
    public async Task Migrated_IndexHoldsOnlyTheRowsThatNeedIt(string index, string condition)
    {
        var sql = _test.Store.Provider == StorageProvider.Sqlite
            ? "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = @name"
            : "SELECT indexdef FROM pg_indexes WHERE indexname = @name";

        var definition = (string?)await Database.ReadAsync(c => c.ScalarAsync(sql, null, Token, ("@name", index)), Token);

        // PostgreSQL gives its condition back in parentheses.
        Assert.NotNull(definition);
        Assert.Matches(new Regex($@"WHERE \(?{Regex.Escape(condition)}\)?\s*$", RegexOptions.IgnoreCase), definition);
    }

    [Fact]
    public async Task RepliesSince_OnSqlite_ReadsTheChannelsIndexFromTheFirstListedMessage()
    {
        Assert.SkipWhen(_test.Store.Provider != StorageProvider.Sqlite, "A SQLite query plan; PostgreSQL plans by its own statistics.");

        var plan = await Database.ReadAsync(c => c.QueryAsync($"EXPLAIN QUERY PLAN {WebChatStore.RepliesSince}", null, r => r.GetString(3), Token,
            ("@channel", "ops"), ("@first", 1L), ("@viewer", "alice")), Token);

        // Not "(channel=?)" alone: that reads every message the channel ever had, at each page load.
        Assert.Contains("USING INDEX ix_webchat_channel (channel=? AND seq>?)", Assert.Single(plan), StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _test.DisposeAsync();
}
