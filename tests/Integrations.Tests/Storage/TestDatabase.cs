using System.Data.Common;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// A state store on the tests' engine (or the one asked for), in a folder of its own, migrated with the schemas given or
/// else with one table, <c>things</c>, keyed by name; disposing it drains its grouped writes and removes it all.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _root;

    private TestDatabase(string root, TestStateStore store, StateDatabase database)
    {
        _root = root;
        Store = store;
        Database = database;
    }

    public TestStateStore Store { get; }

    public StateDatabase Database { get; }

    public static async Task<TestDatabase> OpenAsync(string name, StorageProvider? provider = null, IReadOnlyList<IStateSchema>? schemas = null)
    {
        var root = Directory.CreateTempSubdirectory($"chatops-{name}-").FullName;
        var store = await TestStateStore.CreateAsync(root, provider);
        var database = new StateDatabase(Options.Create(store.Options()), schemas ?? [new Things()], new TestHostEnvironment(root));
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        return new TestDatabase(root, store, database);
    }

    /// <summary>Adds a thing named <paramref name="name"/>, then waits for <paramref name="holdUntil"/> with its transaction still open.</summary>
    public static async Task<int> InsertAsync(DbConnection c, DbTransaction t, string name, Task? holdUntil = null)
    {
        var inserted = await c.ExecuteAsync("INSERT INTO things (name) VALUES (@name)", t, TestContext.Current.CancellationToken, ("@name", name));
        if (holdUntil is not null)
        {
            await holdUntil.WaitAsync(TestContext.Current.CancellationToken);
        }

        return inserted;
    }

    public async ValueTask DisposeAsync()
    {
        // Bounded: a test that failed while a write still held its gate must not hang the run here.
        await Wait.ForAsync(Database.DisposeAsync().AsTask(), "the grouped writes to drain");
        SqliteConnection.ClearAllPools();
        await Store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private sealed class Things : IStateSchema
    {
        public IEnumerable<Migration> Migrations => [new(100, "things", ["CREATE TABLE things (name TEXT NOT NULL PRIMARY KEY)"])];
    }
}
