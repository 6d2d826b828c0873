using System.Reflection;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Storage;

/// <summary>
/// Every migration of every feature in the product (found by reflection, so a new one is included without a word) runs on
/// a real PostgreSQL, and leaves the same tables, columns and indexes there as on SQLite.
/// </summary>
public sealed class EveryMigrationTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-every-migration-").FullName;
    private readonly TestStateStores _stores;

    public EveryMigrationTests() => _stores = new TestStateStores(_root);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task InitializeAsync_EveryProductMigration_SameSchemaOnPostgresAsOnSqlite()
    {
        var schemas = ProductSchemas();
        var sqlite = await _stores.GetAsync("sqlite.db", StorageProvider.Sqlite);
        var postgres = await _stores.GetAsync("postgres", StorageProvider.Postgres);

        var onSqlite = await new StateDatabase(Options.Create(sqlite.Options()), schemas, new TestHostEnvironment(_root)).InitializeAsync(Ct);
        var onPostgres = await new StateDatabase(Options.Create(postgres.Options()), schemas, new TestHostEnvironment(_root)).InitializeAsync(Ct);

        Assert.Equal(onSqlite.Applied, onPostgres.Applied);
        Assert.Contains(Migration.Baseline, onPostgres.Applied);
        Assert.Equal(await SqliteSchemaAsync(sqlite), await PostgresSchemaAsync(postgres));
    }

    [Fact]
    public void ProductSchemas_FoundByReflection_CoverEveryFeature()
    {
        var numbers = ProductSchemas().SelectMany(s => s.Migrations).Select(m => m.Number).ToList();

        // 1 is the store's own (StorageSchema), which StateDatabase adds itself.
        Assert.Equal(Enumerable.Range(2, 12), numbers.Where(n => n <= 13).Order());
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _stores.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Every <see cref="IStateSchema"/> in the product's assemblies.</summary>
    internal static IStateSchema[] ProductSchemas() =>
    [
        .. new[] { typeof(StateDatabase).Assembly, typeof(Radiator.RadiatorOptions).Assembly, typeof(ChatOps.Bot.Workflows.WorkflowSchema).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(IStateSchema).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            // The store's own schema is added by StateDatabase itself.
            .Where(t => t.Name != "StorageSchema")
            .Select(t => (IStateSchema)Activator.CreateInstance(t, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, null, null)!),
    ];

    private static async Task<List<string>> SqliteSchemaAsync(TestStateStore store)
    {
        await using var connection = await store.OpenAsync();
        var columns = await connection.QueryAsync(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            null, r => $"column {r.GetString(0)}.{r.GetString(1)}", Ct);
        var indexes = await connection.QueryAsync(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite\\_autoindex%' ESCAPE '\\'",
            null, r => $"index {r.GetString(0)}.{r.GetString(1)}", Ct);
        return [.. columns.Concat(indexes).Order(StringComparer.Ordinal)];
    }

    private static async Task<List<string>> PostgresSchemaAsync(TestStateStore store)
    {
        await using var connection = await store.OpenAsync();
        var columns = await connection.QueryAsync(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()",
            null, r => $"column {r.GetString(0)}.{r.GetString(1)}", Ct);
        // Keys and unique constraints have indexes of their own on PostgreSQL (SQLite's are its autoindexes).
        var indexes = await connection.QueryAsync(
            """
            SELECT i.tablename, i.indexname FROM pg_indexes i
            WHERE i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))
            """,
            null, r => $"index {r.GetString(0)}.{r.GetString(1)}", Ct);
        return [.. columns.Concat(indexes).Order(StringComparer.Ordinal)];
    }
}
