using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>Numbered migrations: applied once each, in order, in a transaction each, and refused when the database is newer.</summary>
public sealed class StateMigratorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-migrations-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabaseFile => Path.Combine(_root, "state.db");

    [Fact]
    public async Task InitializeAsync_EmptyDatabase_CreatesEveryTableAndRecordsEachMigration()
    {
        var sut = CreateSut(new WebChatSchema(), new OutboxSchema(), Things);

        var report = await sut.InitializeAsync(Ct);

        Assert.False(report.Adopted);
        Assert.Equal((0, 100), (report.FromVersion, report.ToVersion));
        Assert.Equal([1, 2, 3, 20, 22, 28, 29, 100], report.Applied);
        Assert.Equal(
            ["chat_outbox", "chat_outbox_edits", "schema_migrations", "storage_check", "things", "webchat_delivery_keys", "webchat_id_key", "webchat_messages"],
            await TablesAsync());
        Assert.Equal(
            [(1, "storage check"), (2, "web chat messages"), (3, "chat outbox"), (20, "web chat revisions"), (22, "chat outbox claim order"),
                (28, "chat outbox digest index for digested rows only"), (29, "web chat thread index for replies only"), (100, "things")],
            await RecordedAsync());
        Assert.True(await ScalarAsync("SELECT min(applied_at) FROM schema_migrations") is long appliedAt && appliedAt > 0);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM pragma_table_info('webchat_messages') WHERE name = 'visible_to'"));
    }

    [Fact]
    public async Task InitializeAsync_SecondStart_AppliesNothing()
    {
        await CreateSut(Things).InitializeAsync(Ct);

        var report = await CreateSut(Things).InitializeAsync(Ct);

        Assert.Empty(report.Applied);
        Assert.Equal(100, report.FromVersion);
        Assert.Equal(100, report.ToVersion);
    }

    [Fact]
    public async Task InitializeAsync_LaterMigration_AppliedOnceOnTopOfTheRecordedOnes()
    {
        await CreateSut(Things).InitializeAsync(Ct);
        await RunSqlAsync("INSERT INTO things (name) VALUES ('kept')");

        var report = await CreateSut(Things, Colours).InitializeAsync(Ct);

        Assert.Equal([101], report.Applied);
        Assert.Equal((100, 101), (report.FromVersion, report.ToVersion));
        Assert.Equal("none", await ScalarAsync("SELECT colour FROM things WHERE name = 'kept'"));
    }

    [Fact]
    public async Task InitializeAsync_DatabaseNewerThanTheCode_RefusedNamingBothVersionsAndNothingChanges()
    {
        await CreateSut(Things, Colours).InitializeAsync(Ct);
        var older = CreateSut(Things, new TestSchema(new Migration(50, "pending", ["CREATE TABLE pending (x INTEGER)"])));

        var refused = await Assert.ThrowsAsync<SchemaTooNewException>(() => older.InitializeAsync(Ct));

        Assert.Equal((101, 100), (refused.DatabaseVersion, refused.CodeVersion));
        Assert.Equal(
            "the state store's schema is version 101, newer than this build knows (version 100); run the build that wrote it, or a newer one",
            refused.Message);
        Assert.DoesNotContain("pending", await TablesAsync());
    }

    [Fact]
    public async Task InitializeAsync_TwoMigrationsShareANumber_RefusedNamingBothAndNothingApplied()
    {
        var sut = CreateSut(Things, new TestSchema(new Migration(100, "others", ["CREATE TABLE others (x INTEGER)"])));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => sut.InitializeAsync(Ct));

        Assert.Contains("migration number 100 is used more than once: 'things' (TestSchema), 'others' (TestSchema)", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await TablesAsync());
    }

    [Fact]
    public async Task InitializeAsync_TakenNumberOfTheStore_Refused()
    {
        var sut = CreateSut(new TestSchema(new Migration(1, "mine", ["CREATE TABLE mine (x INTEGER)"])));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => sut.InitializeAsync(Ct));

        Assert.Contains("migration number 1 is used more than once: 'storage check' (StorageSchema), 'mine' (TestSchema)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_MigrationFails_ItsChangesAndItsRecordAreRolledBack()
    {
        var broken = new TestSchema(new Migration(101, "half", ["CREATE TABLE half (x INTEGER)", "INSERT INTO nowhere VALUES (1)"]));

        await Assert.ThrowsAsync<SqliteException>(() => CreateSut(Things, broken).InitializeAsync(Ct));

        Assert.Equal([(1, "storage check"), (100, "things")], await RecordedAsync());
        Assert.DoesNotContain("half", await TablesAsync());

        var fixedUp = new TestSchema(new Migration(101, "half", ["CREATE TABLE half (x INTEGER)"]));
        Assert.Equal([101], (await CreateSut(Things, fixedUp).InitializeAsync(Ct)).Applied);
    }

    [Fact]
    public async Task InitializeAsync_ManyStartsAtOnce_EachMigrationAppliedOnce()
    {
        var starts = Enumerable.Range(0, 8).Select(_ => Task.Run(() => CreateSut(Things, Colours).InitializeAsync(Ct)));

        var reports = await Task.WhenAll(starts);

        Assert.Equal([1, 100, 101], reports.SelectMany(r => r.Applied).Order());
        Assert.Equal([(1, "storage check"), (100, "things"), (101, "colours")], await RecordedAsync());
    }

    [Fact]
    public async Task InitializeAsync_TableFromBeforeAnAddedColumn_AdoptedWithTheColumnAndItsRows()
    {
        await RunSqlAsync("CREATE TABLE things (name TEXT NOT NULL); INSERT INTO things (name) VALUES ('kept');");
        var baseline = new TestSchema(new Migration(100, "things", ["CREATE TABLE IF NOT EXISTS things (name TEXT NOT NULL)"])
        {
            AddedColumns = [new("things", "colour", "TEXT NULL")],
        });

        var report = await CreateSut(baseline).InitializeAsync(Ct);

        Assert.True(report.Adopted);
        Assert.Equal("none", await ScalarAsync("SELECT coalesce(colour, 'none') FROM things WHERE name = 'kept'"));
        Assert.Equal([(1, "storage check"), (100, "things")], await RecordedAsync());
    }

    /// <summary>
    /// <c>Fixtures/todays-main.sql</c> is the dump of a database that the last release before versioning wrote
    /// and used (web chat messages, outbox posts and edits, runs, inbox, audit, events, alerts): adopted where
    /// it lies, every row kept, and later migrations applied on top.
    /// </summary>
    [Fact]
    public async Task InitializeAsync_DatabaseWrittenBeforeVersioning_AdoptedInPlaceWithEveryRowAndLaterMigrationsApplied()
    {
        await RunSqlAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Storage", "Fixtures", "todays-main.sql"), Ct));
        var before = await RowCountsAsync();
        var messagesBefore = await ScalarAsync("SELECT group_concat(text, '|') FROM (SELECT text FROM webchat_messages ORDER BY seq)");
        var later = new TestSchema(new Migration(12, "pinned messages", ["ALTER TABLE webchat_messages ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0"]));

        var report = await CreateSut(new WebChatSchema(), new OutboxSchema(), later).InitializeAsync(Ct);

        Assert.True(report.Adopted);
        Assert.Equal([1, 2, 3, 12, 20, 22, 28, 29], report.Applied);
        Assert.Equal(29, report.ToVersion);
        var after = await RowCountsAsync();
        Assert.All(before, table => Assert.Equal(table.Value, after[table.Key]));
        Assert.Contains(before, table => table.Value > 0 && table.Key.StartsWith("webchat", StringComparison.Ordinal));
        Assert.Contains(before, table => table.Value > 0 && table.Key == "chat_outbox");
        Assert.Equal(messagesBefore, await ScalarAsync("SELECT group_concat(text, '|') FROM (SELECT text FROM webchat_messages ORDER BY seq)"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM webchat_messages WHERE pinned <> 0"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static TestSchema Things => new(new Migration(100, "things", ["CREATE TABLE things (name TEXT NOT NULL)"]));

    private static TestSchema Colours => new(new Migration(101, "colours", ["ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'none'"]));

    private StateDatabase CreateSut(params IStateSchema[] schemas) =>
        new(Options.Create(new StorageOptions { ConnectionString = "Data Source=state.db" }), schemas, new TestHostEnvironment(_root));

    private async Task RunSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=false");
        await connection.OpenAsync(Ct);
        await connection.ExecuteAsync(sql, null, Ct);
    }

        private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=false");
        await connection.OpenAsync(Ct);
        return await connection.ScalarAsync(sql, null, Ct);
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=false");
        await connection.OpenAsync(Ct);
        return await connection.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name", null, r => r.GetString(0), Ct);
    }

    private async Task<List<(int, string)>> RecordedAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=false");
        await connection.OpenAsync(Ct);
        return await connection.QueryAsync("SELECT number, name FROM schema_migrations ORDER BY number", null, r => (r.GetInt32(0), r.GetString(1)), Ct);
    }

    private async Task<Dictionary<string, long>> RowCountsAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in (await TablesAsync()).Where(t => t != "schema_migrations"))
        {
            counts[table] = (long)(await ScalarAsync($"SELECT count(*) FROM \"{table}\""))!;
        }

        return counts;
    }

    private sealed class TestSchema(params Migration[] migrations) : IStateSchema
    {
        public IEnumerable<Migration> Migrations => migrations;
    }
}
