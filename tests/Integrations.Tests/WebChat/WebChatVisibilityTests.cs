using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.WebChat;

/// <summary>A message meant for one person is kept with their name and listed to them alone; older databases gain the column.</summary>
public sealed class WebChatVisibilityTests : IDisposable
{
    private static readonly ChatDestination Ops = new(WebChatSender.PlatformName, "ops");

    // The web chat table as released before messages could be meant for one person.
    private const string OldTable = """
        CREATE TABLE webchat_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, user TEXT NOT NULL, text TEXT NOT NULL,
            buttons TEXT NOT NULL, context TEXT NOT NULL, image BLOB NULL, image_alt TEXT NULL, thread_of INTEGER NULL,
            version INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        INSERT INTO webchat_messages (channel, user, text, buttons, context, version, created_at, updated_at)
        VALUES ('ops', 'bot', 'posted before the upgrade', '[]', '[]', 1, 0, 0);
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("chatops-webchat-").FullName;
    private readonly TestStateStores _stores;

    public WebChatVisibilityTests() => _stores = new TestStateStores(_root);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListAsync_MessageForOnePerson_ListedToThemAloneWhateverTheCase()
    {
        var (sender, store) = await CreateSutAsync();
        await sender.PostAsync(Ops, OutgoingMessage.Plain("for everyone"), cancellationToken: Ct);
        await sender.PostAsync(Ops, new OutgoingMessage { Text = "for alice", VisibleTo = "Alice" }, cancellationToken: Ct);

        Assert.Equal(["for everyone", "for alice"], (await store.ListAsync("ops", "ALICE", Ct)).Select(m => m.Text));
        Assert.Equal(["for everyone"], (await store.ListAsync("ops", "bob", Ct)).Select(m => m.Text));
        Assert.Equal(["for everyone"], (await store.ListAsync("ops", Ct)).Select(m => m.Text));
        Assert.Equal("alice", (await store.ListAsync("ops", "alice", Ct))[^1].VisibleTo);
    }

    [Fact]
    public async Task ListAsync_ThreadReplyForOnePerson_InTheirThreadAlone()
    {
        var (sender, store) = await CreateSutAsync();
        var parent = await sender.PostAsync(Ops, OutgoingMessage.Plain("run 7"), cancellationToken: Ct);
        await sender.PostAsync(Ops, new OutgoingMessage { Text = "only you may cancel", VisibleTo = "alice" }, parent, Ct);

        Assert.Single(Assert.Single(await store.ListAsync("ops", "alice", Ct)).Replies);
        Assert.Empty(Assert.Single(await store.ListAsync("ops", "bob", Ct)).Replies);
    }

    [Fact]
    public void IsVisibleTo_PublicOrAddressed_AsTheNameSays()
    {
        var everyone = new WebChatMessage("m1-x", "ops", "bot", "hi", [], [], null, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, false);
        var alice = everyone with { VisibleTo = "alice" };

        Assert.True(everyone.IsVisibleTo(null));
        Assert.True(alice.IsVisibleTo("Alice"));
        Assert.False(alice.IsVisibleTo("bob"));
        Assert.False(alice.IsVisibleTo(null));
    }

    [Fact]
    public async Task InitializeAsync_TableFromBeforeVisibleTo_GainsTheColumnAndKeepsItsMessagesPublic()
    {
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "state.db")};Pooling=false"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = OldTable;
            await command.ExecuteNonQueryAsync(Ct);
        }

        var database = await CreateDatabaseAsync(StorageProvider.Sqlite);
        await database.InitializeAsync(Ct);
        // Every start runs the schema again: a column already added is not added twice.
        await database.InitializeAsync(Ct);
        var options = Microsoft.Extensions.Options.Options.Create(new WebChatOptions());
        var store = new WebChatStore(database, new WebChatFeed(), new FakeTimeProvider(), options);
        await new WebChatSender(store, options).PostAsync(Ops, new OutgoingMessage { Text = "for alice", VisibleTo = "alice" }, cancellationToken: Ct);

        Assert.Equal(["posted before the upgrade"], (await store.ListAsync("ops", "bob", Ct)).Select(m => m.Text));
        Assert.Equal(["posted before the upgrade", "for alice"], (await store.ListAsync("ops", "alice", Ct)).Select(m => m.Text));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _stores.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<(WebChatSender Sender, WebChatStore Store)> CreateSutAsync()
    {
        var database = await CreateDatabaseAsync();
        await database.InitializeAsync(Ct);
        var options = Microsoft.Extensions.Options.Options.Create(new WebChatOptions());
        var store = new WebChatStore(database, new WebChatFeed(), new FakeTimeProvider(), options);
        return (new WebChatSender(store, options), store);
    }

    /// <param name="provider">SQLite for a database written before versioning (only SQLite has those); else the suite's engine.</param>
    private Task<StateDatabase> CreateDatabaseAsync(StorageProvider? provider = null) => _stores.OpenAsync([new WebChatSchema()], provider: provider);
}
