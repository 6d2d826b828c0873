using System.Data.Common;
using ChatOps.Bot.Storage;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Storage;

/// <summary>
/// <c>storage-copy</c> from a real SQLite file, made by the product's migrations, into a real PostgreSQL database: what is
/// copied, that new rows get fresh ids after it, and that every refusal leaves the target as it was.
/// </summary>
public sealed class StorageCopyVerbTests : IAsyncLifetime
{
    private static readonly byte[] Image = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0x10, 0x00];

    private readonly string _root = Directory.CreateTempSubdirectory("chatops-storage-copy-").FullName;
    private readonly TestStateStores _stores;
    private readonly IStateSchema[] _schemas = EveryMigrationTests.ProductSchemas();

    public StorageCopyVerbTests() => _stores = new TestStateStores(_root);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task StorageCopy_SourceWithState_CopiesEveryRowAndNewRowsGetFreshIds()
    {
        var source = await SourceWithStateAsync();
        var target = await _stores.GetAsync("target", StorageProvider.Postgres);

        var result = await RunAsync("--from", SourceFile(source), "--to", target.ConnectionString);

        Assert.Equal(0, result.Code);
        Assert.Equal("", result.Error);
        await using var from = await source.OpenAsync();
        await using var to = await target.OpenAsync();
        var tables = await ListAsync(from, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> 'schema_migrations'");
        Assert.Contains("runs", tables);
        foreach (var table in tables)
        {
            Assert.Equal((table, await CountAsync(from, table)), (table, await CountAsync(to, table)));
        }

        Assert.Equal(3, await CountAsync(to, "runs"));
        Assert.Equal(["deploy", "deploy", "rollback"], await ListAsync(to, "SELECT verb FROM runs ORDER BY id"));
        Assert.Equal(["hash-2"], await ListAsync(to, "SELECT hash FROM audit WHERE seq = 2"));
        Assert.Equal(["firing"], await ListAsync(to, "SELECT status FROM radiator_alerts"));
        Assert.Equal((1200L, 12_000L), ((long)(await ScalarAsync(to, "SELECT count(DISTINCT run_id) FROM run_observed"))!, (long)(await ScalarAsync(to, "SELECT MAX(observed_at) FROM run_observed"))!));
        Assert.Equal(Image, await ScalarAsync(to, "SELECT image FROM webchat_messages WHERE text = 'with image'"));
        Assert.Equal(await ScalarAsync(from, "SELECT key FROM webchat_id_key"), await ScalarAsync(to, "SELECT key FROM webchat_id_key"));
        Assert.Contains("runs", result.Output, StringComparison.Ordinal);
        Assert.Contains("Copied ", result.Output, StringComparison.Ordinal);

        var newRun = await ScalarAsync(to,
            "INSERT INTO runs (environment, verb, arguments, requester_id, requester_name, platform, channel, status, steps, created_at) " +
            "VALUES ('test', 'deploy', '', 'U1', 'ada', 'slack', 'C1', 'queued', '[]', 1) RETURNING id");
        Assert.Equal(4L, newRun);
        var newMessage = await ScalarAsync(to,
            "INSERT INTO webchat_messages (channel, \"user\", text, buttons, context, version, created_at, updated_at) VALUES ('c', 'u', 'new', '[]', '{}', 1, 1, 1) RETURNING seq");
        Assert.Equal(3L, newMessage);
    }

    [Fact]
    public async Task StorageCopy_TargetHoldsRows_RefusedNamingTheTableAndUnchanged()
    {
        var source = await SourceWithStateAsync();
        var target = await _stores.GetAsync("target", StorageProvider.Postgres);
        await using (var database = new StateDatabase(Options.Create(target.Options()), _schemas, new TestHostEnvironment(_root)))
        {
            await database.InitializeAsync(Ct);
        }

        await using (var connection = await target.OpenAsync())
        {
            await ExecuteAsync(connection, "INSERT INTO radiator_alerts (fingerprint, status, updated_at, state) VALUES ('already', 'resolved', 1, '{}')");
        }

        var result = await RunAsync("--from", SourceFile(source), "--to", target.ConnectionString);

        Assert.Equal(2, result.Code);
        Assert.Contains("already holds rows in radiator_alerts", result.Error, StringComparison.Ordinal);
        await using var to = await target.OpenAsync();
        Assert.Equal(["already"], await ListAsync(to, "SELECT fingerprint FROM radiator_alerts"));
        Assert.Equal(0, await CountAsync(to, "runs"));
        Assert.Equal(0, await CountAsync(to, "audit"));
    }

    [Fact]
    public async Task StorageCopy_SourceAtAnotherSchemaVersion_RefusedNamingBothAndTargetUntouched()
    {
        var source = await SourceWithStateAsync();
        await using (var connection = await source.OpenAsync())
        {
            await ExecuteAsync(connection, "INSERT INTO schema_migrations (number, name, applied_at) VALUES (999, 'from a newer build', 1)");
        }

        var target = await _stores.GetAsync("target", StorageProvider.Postgres);
        var known = _schemas.SelectMany(s => s.Migrations).Max(m => m.Number);

        var result = await RunAsync("--from", SourceFile(source), "--to", target.ConnectionString);

        Assert.Equal(2, result.Code);
        Assert.Contains("schema version 999", result.Error, StringComparison.Ordinal);
        Assert.Contains($"this build's {known}", result.Error, StringComparison.Ordinal);
        await using var to = await target.OpenAsync();
        Assert.Equal(0L, await ScalarAsync(to, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"));
    }

    [Fact]
    public async Task StorageCopy_BadRowInALaterTable_RefusedNamingItAndNothingKept()
    {
        var source = await SourceWithStateAsync();
        await using (var connection = await source.OpenAsync())
        {
            // SQLite keeps text in an INTEGER column; PostgreSQL's BIGINT cannot. webchat_messages is copied after audit and runs.
            await ExecuteAsync(connection,
                "INSERT INTO webchat_messages (channel, user, text, buttons, context, version, created_at, updated_at) VALUES ('c', 'u', 'bad', '[]', '{}', 'three', 1, 1)");
        }

        var target = await _stores.GetAsync("target", StorageProvider.Postgres);

        var result = await RunAsync("--from", SourceFile(source), "--to", target.ConnectionString);

        Assert.Equal(2, result.Code);
        Assert.Contains("of webchat_messages holds text 'three' in version", result.Error, StringComparison.Ordinal);
        await using var to = await target.OpenAsync();
        Assert.Equal(0, await CountAsync(to, "audit"));
        Assert.Equal(0, await CountAsync(to, "runs"));
        Assert.Equal(0, await CountAsync(to, "webchat_messages"));
    }

    [Fact]
    public async Task StorageCopy_ReplicaAliveInSource_RefusedSayingStopTheBot()
    {
        var source = await SourceWithStateAsync();
        await using (var connection = await source.OpenAsync())
        {
            await ExecuteAsync(connection,
                $"INSERT INTO replicas (name, host, process_id, started_at, beat_at) VALUES ('web1-live', 'web1', 42, 1, {TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()})");
        }

        var target = await _stores.GetAsync("target", StorageProvider.Postgres);

        var result = await RunAsync("--from", SourceFile(source), "--to", target.ConnectionString);

        Assert.Equal(2, result.Code);
        Assert.Contains("still running", result.Error, StringComparison.Ordinal);
        Assert.Contains("web1-live", result.Error, StringComparison.Ordinal);
        await using var to = await target.OpenAsync();
        Assert.Equal(0L, await ScalarAsync(to, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"));
    }

    [Fact]
    public async Task StorageCopy_TargetFromStorageSettings_UsedWhenNoToIsGiven()
    {
        var source = await SourceWithStateAsync();
        var target = await _stores.GetAsync("target", StorageProvider.Postgres);

        var result = await RunWithAsync(target.Settings, "--from", $"Data Source={SourceFile(source)}");

        Assert.Equal(0, result.Code);
        await using var to = await target.OpenAsync();
        Assert.Equal(3, await CountAsync(to, "runs"));
    }

    [Theory]
    [InlineData(new[] { "--to", "Host=localhost;Database=chatops" }, "--from is required")]
    [InlineData(new[] { "--from", "/nowhere/chatops.db", "--to", "Host=localhost;Database=chatops" }, "there is no SQLite file at /nowhere/chatops.db")]
    [InlineData(new[] { "--from", "x", "--bogus" }, "Unknown argument '--bogus'")]
    [InlineData(new[] { "--from", "--to", "Host=localhost;Database=chatops" }, "--from needs the SQLite file")]
    public async Task StorageCopy_BadArguments_SpecificMessageAndUsage(string[] args, string expected)
    {
        var result = await RunAsync(args);

        Assert.Equal(2, result.Code);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: storage-copy", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageCopy_TargetServerOutOfReach_ExitsWith2SayingNothingWasCopied()
    {
        var source = await SourceWithStateAsync();

        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var result = await RunAsync("--from", SourceFile(source), "--to", "Host=127.0.0.1;Port=1;Database=chatops;Timeout=5");

        Assert.Equal(2, result.Code);
        Assert.Contains("nothing was copied", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageCopy_NoTargetAndSqliteSettings_AsksForTo()
    {
        var source = await SourceWithStateAsync();

        var result = await RunAsync("--from", SourceFile(source));

        Assert.Equal(2, result.Code);
        Assert.Contains("--to is required", result.Error, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _stores.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A SQLite store at this build's schema with runs, audit records, web chat messages (one with an image), an alert and a stopped replica.</summary>
    private async Task<TestStateStore> SourceWithStateAsync()
    {
        var source = await _stores.GetAsync("source.db", StorageProvider.Sqlite);
        await using (var database = new StateDatabase(Options.Create(source.Options()), _schemas, new TestHostEnvironment(_root)))
        {
            await database.InitializeAsync(Ct);
        }

        await using var connection = await source.OpenAsync();
        foreach (var (verb, status) in new[] { ("deploy", "succeeded"), ("deploy", "failed"), ("rollback", "running") })
        {
            await ExecuteAsync(connection,
                "INSERT INTO runs (environment, verb, arguments, requester_id, requester_name, platform, channel, status, steps, created_at) " +
                $"VALUES ('prod', '{verb}', '', 'U1', 'ada', 'slack', 'C1', '{status}', '[]', 1000)");
        }

        // Enough for several batches of inserts.
        await ExecuteAsync(connection,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) " +
            "INSERT INTO run_observed (run_id, observed_at) SELECT i, i * 10 FROM n");
        await ExecuteAsync(connection,
            "INSERT INTO audit (seq, at, actor_id, actor_name, action, environment, run_id, detail, prev_hash, hash) VALUES " +
            "(1, 1000, 'U1', 'ada', 'deploy', 'prod', 1, '{}', '', 'hash-1'), (2, 2000, 'U1', 'ada', 'rollback', 'prod', 3, '{}', 'hash-1', 'hash-2')");
        await ExecuteAsync(connection, "INSERT INTO audit_head (id, count, hash) VALUES (1, 2, 'hash-2')");
        await ExecuteAsync(connection,
            "INSERT INTO webchat_messages (channel, user, text, buttons, context, version, created_at, updated_at) VALUES ('c', 'u', 'plain', '[]', '{}', 1, 1, 1)");
        await using (var command = connection.CreateCommand())
        {
            command.CommandText =
                "INSERT INTO webchat_messages (channel, user, text, buttons, context, image, image_alt, version, created_at, updated_at) VALUES ('c', 'u', 'with image', '[]', '{}', $image, 'a chart', 1, 1, 1)";
            var image = command.CreateParameter();
            image.ParameterName = "$image";
            image.Value = Image;
            command.Parameters.Add(image);
            await command.ExecuteNonQueryAsync(Ct);
        }

        await ExecuteAsync(connection, "INSERT INTO radiator_alerts (fingerprint, status, updated_at, state) VALUES ('fp-1', 'firing', 1000, '{\"labels\":{}}')");
        // A replica from before the bot was stopped: its last beat long past Replicas:DeadAfter.
        await ExecuteAsync(connection, "INSERT INTO replicas (name, host, process_id, started_at, beat_at) VALUES ('web1-old', 'web1', 41, 1, 2)");
        return source;
    }

    private static string SourceFile(TestStateStore source) => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(source.ConnectionString).DataSource;

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunWithAsync(new Dictionary<string, string?>(), args);

    private async Task<(int Code, string Output, string Error)> RunWithAsync(IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton<IHostEnvironment>(new TestHostEnvironment(_root))
            .AddSingleton(TimeProvider.System);
        foreach (var schema in _schemas)
        {
            services.AddSingleton(schema);
        }

        await using var provider = services.BuildServiceProvider();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new StorageCopyVerb().RunAsync(provider, args, output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }

    private static async Task<long> CountAsync(DbConnection connection, string table) =>
        Convert.ToInt64(await ScalarAsync(connection, $"SELECT count(*) FROM \"{table}\""), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<string>> ListAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
