using System.Data.Common;
using ChatOps.Integrations.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ChatOps.TestCommon.Storage;

/// <summary>
/// The one place tests get a state store from, on either engine: a SQLite file in the test's folder, or a database of
/// its own on the shared throwaway PostgreSQL cluster. Tests that do not name an engine get <see cref="DefaultProvider"/>:
/// SQLite, or the engine in <c>CHATOPS_TEST_STORAGE</c> (<c>eng/test.sh</c> runs the store suites again with
/// <c>Postgres</c>).
/// </summary>
public sealed class TestStateStore : IAsyncDisposable, IDisposable
{
    /// <summary>The variable that moves the store suites to another engine.</summary>
    public const string ProviderVariable = "CHATOPS_TEST_STORAGE";

    private readonly PostgresDatabase? _database;

    private TestStateStore(StorageProvider provider, string connectionString, PostgresDatabase? database)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _database = database;
    }

    /// <summary>The engine for tests that do not choose one.</summary>
    public static StorageProvider DefaultProvider { get; } =
        Environment.GetEnvironmentVariable(ProviderVariable) is { Length: > 0 } name
            ? Enum.Parse<StorageProvider>(name, ignoreCase: true)
            : StorageProvider.Sqlite;

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The settings a host is given: <c>Storage:Provider</c> and <c>Storage:ConnectionString</c>.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = Provider.ToString(),
        ["Storage:ConnectionString"] = ConnectionString,
    };

    /// <summary>Options for a <see cref="StateDatabase"/> made by hand.</summary>
    public StorageOptions Options(long? maxSizeBytes = null) =>
        new() { Provider = Provider, ConnectionString = ConnectionString, MaxSizeBytes = maxSizeBytes };

    /// <param name="root">The test's folder: a SQLite file goes there.</param>
    /// <param name="provider">The engine; <see cref="DefaultProvider"/> when null.</param>
    /// <param name="file">For SQLite: the file's name in <paramref name="root"/>.</param>
    public static async Task<TestStateStore> CreateAsync(string root, StorageProvider? provider = null, string file = "state.db")
    {
        var chosen = provider ?? DefaultProvider;
        if (chosen == StorageProvider.Sqlite)
        {
            return new TestStateStore(chosen, $"Data Source={Path.Combine(root, file)}", null);
        }

        var database = await (await PostgresCluster.Shared).CreateDatabaseAsync();
        return new TestStateStore(chosen, database.ConnectionString, database);
    }

    /// <summary>A connection of the test's own, outside any pool, for looking at (or tampering with) what the store holds.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Provider == StorageProvider.Sqlite
            ? new SqliteConnection(ConnectionString + ";Pooling=false")
            : new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>For fixtures disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
