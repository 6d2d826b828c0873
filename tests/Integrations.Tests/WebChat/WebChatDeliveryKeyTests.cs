using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Tests.Chat.Outbox;
using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.WebChat;

/// <summary>Web chat posts carry their delivery key into the same database, which refuses a second message with it.</summary>
public sealed class WebChatDeliveryKeyTests : IDisposable
{
    private static readonly ChatDestination Ops = new(WebChatSender.PlatformName, "ops");

    private readonly string _root = Directory.CreateTempSubdirectory("chatops-webchat-").FullName;
    private readonly TestStateStores _stores;

    public WebChatDeliveryKeyTests() => _stores = new TestStateStores(_root);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostAsync_SameKeyTwice_OneMessageAndTheFirstId()
    {
        var (sender, store) = await CreateSutAsync();

        var first = await sender.PostAsync(Ops, new OutgoingMessage { Text = "disk full", DeliveryKey = "alert:1" }, cancellationToken: Ct);
        var again = await sender.PostAsync(Ops, new OutgoingMessage { Text = "disk full (again)", DeliveryKey = "alert:1" }, cancellationToken: Ct);

        Assert.Equal(first, again);
        var message = Assert.Single(await store.ListAsync("ops", Ct));
        Assert.Equal(("disk full", 1), (message.Text, message.Version));
        Assert.Equal(first, await sender.FindPostAsync(Ops, "alert:1", null, DateTimeOffset.UnixEpoch, Ct));
    }

    [Fact]
    public async Task PostAsync_DifferentKeysOrNone_EachIsItsOwnMessage()
    {
        var (sender, store) = await CreateSutAsync();

        await sender.PostAsync(Ops, new OutgoingMessage { Text = "one", DeliveryKey = "a" }, cancellationToken: Ct);
        await sender.PostAsync(Ops, new OutgoingMessage { Text = "two", DeliveryKey = "b" }, cancellationToken: Ct);
        await sender.PostAsync(Ops, OutgoingMessage.Plain("three"), cancellationToken: Ct);
        await sender.PostAsync(Ops, OutgoingMessage.Plain("three"), cancellationToken: Ct);

        Assert.Equal(["one", "two", "three", "three"], (await store.ListAsync("ops", Ct)).Select(m => m.Text));
        Assert.Null(await sender.FindPostAsync(Ops, "c", null, DateTimeOffset.UnixEpoch, Ct));
    }

    [Fact]
    public async Task PostAsync_RepeatedKeyWithMissingParent_ReturnsTheExistingMessageInsteadOfFailing()
    {
        var (sender, _) = await CreateSutAsync();
        var parent = await sender.PostAsync(Ops, OutgoingMessage.Plain("parent"), cancellationToken: Ct);
        var reply = await sender.PostAsync(Ops, new OutgoingMessage { Text = "reply", DeliveryKey = "r" }, parent, Ct);

        Assert.Equal(reply, await sender.PostAsync(Ops, new OutgoingMessage { Text = "reply", DeliveryKey = "r" }, parent, Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => sender.PostAsync(Ops, new OutgoingMessage { Text = "orphan", DeliveryKey = "o" }, "m999", Ct));
        Assert.Null(await sender.FindPostAsync(Ops, "o", null, DateTimeOffset.UnixEpoch, Ct));
    }

    [Fact]
    public async Task InitializeAsync_DatabaseFromBeforeDeliveryKeys_KeepsItsMessagesAndGainsKeys()
    {
        // The web chat table as it was created before delivery keys (and before versioned migrations) existed.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "state.db")};Pooling=false"))
        {
            await connection.OpenAsync(Ct);
            await connection.ExecuteAsync(LegacyWebChat, null, Ct);
        }

        var (sender, store) = await CreateSutAsync(StorageProvider.Sqlite);
        var id = await sender.PostAsync(Ops, new OutgoingMessage { Text = "new", DeliveryKey = "k" }, cancellationToken: Ct);

        Assert.Equal(id, await sender.PostAsync(Ops, new OutgoingMessage { Text = "new", DeliveryKey = "k" }, cancellationToken: Ct));
        Assert.Equal(["old", "new"], (await store.ListAsync("ops", Ct)).Select(m => m.Text));
    }

    [Fact]
    public async Task Outbox_DispatcherDiedAfterTheWebChatTookThePost_NextDispatcherShowsItOnce()
    {
        using var harness = await OutboxHarness.CreateAsync(schemas: new WebChatSchema());
        var store = new WebChatStore(harness.Database, new WebChatFeed(), harness.Time, Microsoft.Extensions.Options.Options.Create(new WebChatOptions()));
        var webChat = new WebChatSender(store, Microsoft.Extensions.Options.Options.Create(new WebChatOptions()));
        await harness.Outbox.EnqueuePostAsync("alert:1", Ops, OutgoingMessage.Plain("disk full"), cancellationToken: Ct);
        var dying = new DiesAfterPostingSender(webChat);
        _ = harness.CreateWorker(dying).RunOnceAsync(Ct);
        await Wait.ForAsync(dying.Posted, "the post before the worker dies");

        harness.Time.Advance(harness.Options.ClaimLease);
        await harness.CreateWorker(webChat).RunOnceAsync(Ct);

        var message = Assert.Single(await store.ListAsync("ops", Ct));
        Assert.Equal(message.Id, await harness.Outbox.GetMessageIdAsync("alert:1", Ct));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _stores.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <param name="provider">SQLite for a database written before versioning (only SQLite has those); else the suite's engine.</param>
    private async Task<(WebChatSender Sender, WebChatStore Store)> CreateSutAsync(StorageProvider? provider = null)
    {
        var database = await _stores.OpenAsync([new WebChatSchema()], provider: provider);
        await database.InitializeAsync(Ct);
        var options = Microsoft.Extensions.Options.Options.Create(new WebChatOptions());
        var store = new WebChatStore(database, new WebChatFeed(), new FakeTimeProvider(), options);
        return (new WebChatSender(store, options), store);
    }


    private const string LegacyWebChat = """
        CREATE TABLE webchat_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, user TEXT NOT NULL, text TEXT NOT NULL,
            buttons TEXT NOT NULL, context TEXT NOT NULL, image BLOB NULL, image_alt TEXT NULL, thread_of INTEGER NULL,
            version INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        INSERT INTO webchat_messages (channel, user, text, buttons, context, version, created_at, updated_at)
        VALUES ('ops', 'bot', 'old', '[]', '[]', 1, 0, 0);
        """;
}
