using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Discord.Interactions;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Teams;
using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// The state store on a real PostgreSQL server: migrations safe when replicas start at once and refused when the schema
/// is newer, the write lock that keeps check-then-write whole, and a server that goes away under the bot.
/// </summary>
public sealed class PostgresStateStoreTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-postgres-").FullName;
    private TestStateStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IStateSchema[] Schemas => [new WebChatSchema(), new OutboxSchema(), new InboxSchema(), new DiscordInteractionSchema(), new TeamsConversationSchema(), new Things()];

    public async ValueTask InitializeAsync() => _store = await TestStateStore.CreateAsync(_root, StorageProvider.Postgres);

    [Fact]
    public async Task InitializeAsync_ReplicasStartingAtOnce_EachMigrationAppliedOnceAndEveryStartSucceeds()
    {
        var replicas = Enumerable.Range(0, 4).Select(_ => CreateSut(Schemas)).ToList();

        var reports = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.InitializeAsync(Ct), Ct)));

        // Migration 1 (the storage check) comes with every store; the rest are the schemas'.
        List<int> expected = [1, .. Schemas.SelectMany(s => s.Migrations).Select(m => m.Number).Order()];
        var applied = reports.SelectMany(r => r.Applied).Order().ToList();
        Assert.Equal(expected, applied);
        Assert.All(reports, r => Assert.Equal(100, r.ToVersion));
        var recorded = await replicas[0].ReadAsync(c => c.QueryAsync("SELECT number FROM schema_migrations ORDER BY number", null, r => r.GetInt64(0), Ct), Ct);
        Assert.Equal(expected.Select(n => (long)n), recorded);
    }

    [Fact]
    public async Task InitializeAsync_SchemaNewerThanThisBuild_RefusedAndNothingChanged()
    {
        await CreateSut(new Things()).InitializeAsync(Ct);
        await using (var connection = await _store.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (number, name, applied_at) VALUES (200, 'from a newer build', 0)", null, Ct);
        }

        var refused = await Assert.ThrowsAsync<SchemaTooNewException>(() => CreateSut(new Things(), new Later()).InitializeAsync(Ct));

        Assert.Equal((200, 101), (refused.DatabaseVersion, refused.CodeVersion));
        await using var check = await _store.OpenAsync();
        Assert.Equal(0L, await check.ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'later'", null, Ct));
    }

    [Fact]
    public async Task InitializeAsync_FailingMigration_LeavesTheVersionWhereItWasAndTheNextStartTriesAgain()
    {
        await CreateSut(new Things()).InitializeAsync(Ct);

        await Assert.ThrowsAnyAsync<Exception>(() => CreateSut(new Things(), new Later("INSERT INTO nowhere VALUES (1)")).InitializeAsync(Ct));
        var report = await CreateSut(new Things(), new Later()).InitializeAsync(Ct);

        Assert.Equal([101], report.Applied);
        Assert.Equal((100, 101), (report.FromVersion, report.ToVersion));
    }

    [Fact]
    public async Task WriteAsync_ConcurrentCheckThenInsert_OnlyOneWins()
    {
        var sut = CreateSut(new Things());
        await sut.InitializeAsync(Ct);

        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(() => sut.WriteAsync(async (c, t) =>
        {
            var existing = (long)(await c.ScalarAsync("SELECT count(*) FROM things", t, Ct))!;
            if (existing > 0)
            {
                return false;
            }

            await c.ExecuteAsync("INSERT INTO things (name, n, weight, raw) VALUES ('only', 1, 0.5, @raw)", t, Ct, ("@raw", new byte[] { 1, 2 }));
            return true;
        }, Ct), Ct));

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Translation_TypesOfEveryKind_RoundTrip()
    {
        var sut = CreateSut(new Things());
        await sut.InitializeAsync(Ct);

        var id = await sut.WriteAsync(async (c, t) => (long)(await c.ScalarAsync(
            "INSERT INTO things (name, n, weight, raw) VALUES (@name, @n, @w, @raw) RETURNING id", t, Ct,
            ("@name", "a"), ("@n", 3), ("@w", 1.25), ("@raw", new byte[] { 0, 255 })))!, Ct);
        var row = await sut.ReadAsync(c => c.QueryAsync("SELECT id, name, n, weight, raw FROM things", null,
            r => (r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3), (byte[])r.GetValue(4)), Ct), Ct);

        Assert.Equal((id, "a", 3, 1.25), (row[0].Item1, row[0].Item2, row[0].Item3, row[0].Item4));
        Assert.Equal([0, 255], row[0].Item5);
    }

    [Fact]
    public async Task WriteAsync_ServerStopped_FailsAsStorageFaultNamingTheServerAndSucceedsOnceItIsBack()
    {
        await using var cluster = await PostgresCluster.StartNewAsync();
        var database = await cluster.CreateDatabaseAsync();
        var sut = new StateDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = database.ConnectionString }),
            [new Things()], new TestHostEnvironment(_root));
        await sut.InitializeAsync(Ct);
        await sut.CheckWritableAsync(Ct);

        await cluster.StopAsync();
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => Insert(sut, "lost"));
        var fault = sut.FaultOf(failed);
        var reported = sut.LastWriteFault;

        await cluster.StartAsync();
        await Wait.UntilAsync(async () => await TryInsertAsync(sut, "after"), "a write to succeed once the server is back");

        Assert.NotNull(fault);
        Assert.Equal(StorageFaultKind.CannotOpen, fault.Kind);
        Assert.Contains($"127.0.0.1:{cluster.Port}", fault.Reason, StringComparison.Ordinal);
        Assert.Equal(fault, reported);
        Assert.Null(sut.LastWriteFault);
        Assert.Equal(["after"], await sut.ReadAsync(c => c.QueryAsync("SELECT name FROM things", null, r => r.GetString(0), Ct), Ct));
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static Task<int> Insert(StateDatabase database, string name) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO things (name, n, weight, raw) VALUES (@name, 0, 0, @raw)", t, Ct, ("@name", name), ("@raw", Array.Empty<byte>())), Ct);

    private static async Task<bool> TryInsertAsync(StateDatabase database, string name)
    {
        try
        {
            await Insert(database, name);
            return true;
        }
        catch (Exception e) when (database.FaultOf(e) is not null)
        {
            return false;
        }
    }

    private StateDatabase CreateSut(params IStateSchema[] schemas) => new(Options.Create(_store.Options()), schemas, new TestHostEnvironment(_root));

    private sealed class Things : IStateSchema
    {
        public IEnumerable<Migration> Migrations =>
            [new(100, "things", ["CREATE TABLE things (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, n INTEGER NOT NULL, weight REAL NOT NULL, raw BLOB NOT NULL)"])];
    }

    private sealed class Later(params string[] more) : IStateSchema
    {
        public IEnumerable<Migration> Migrations => [new(101, "later", ["CREATE TABLE later (x INTEGER)", .. more.Select(MigrationStatement.FromString)])];
    }
}
