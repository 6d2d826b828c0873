using System.Data.Common;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon.Processes;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ChatOps.Bot.FunctionalTests.Replicas;

/// <summary>
/// Several Bot processes sharing one state store (one SQLite file, or one PostgreSQL database on the test cluster), as
/// replicas of one bot: each with its own name
/// (<c>replica-a</c>, <c>replica-b</c>…), its own node and HAProxy folders, and what must match across replicas
/// shared (the state store, the audit key).
/// </summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    private readonly BotRoot _root = new("chatops-replicas-");
    private readonly Dictionary<string, BotProcess> _bots = new(StringComparer.Ordinal);
    private PostgresDatabase? _postgres;

    public string StateDatabase => Path.Combine(_root.Path, "state.db");

    /// <summary>The engine the replicas share.</summary>
    public StorageProvider Provider => _postgres is null ? StorageProvider.Sqlite : StorageProvider.Postgres;

    public IReadOnlyDictionary<string, BotProcess> Bots => _bots;

    /// <summary>Starts the replicas one after another (the first creates the store and the audit key).</summary>
    public static async Task<ReplicaSet> StartAsync(int count, IDictionary<string, string>? settings = null, StorageProvider provider = StorageProvider.Sqlite)
    {
        var set = new ReplicaSet();
        try
        {
            if (provider == StorageProvider.Postgres)
            {
                set._postgres = await (await PostgresCluster.Shared).CreateDatabaseAsync();
            }

            foreach (var name in Enumerable.Range(0, count).Select(i => $"replica-{(char)('a' + i)}"))
            {
                await set.StartOneAsync(name, settings);
            }
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }

        return set;
    }

    public async Task<BotProcess> StartOneAsync(string name, IDictionary<string, string>? settings = null)
    {
        var values = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Replicas__Name"] = name,
            ["Storage__Provider"] = Provider.ToString(),
            ["Storage__ConnectionString"] = _postgres?.ConnectionString ?? $"Data Source={StateDatabase}",
            ["Audit__KeyFile"] = Path.Combine(_root.Path, "audit.key"),
            ["Radiator__Simulator__Enabled"] = "false",
        };
        var bot = await BotProcess.StartAsync(Path.Combine(_root.Path, name), values);
        _bots[name] = bot;
        return bot;
    }

    /// <summary>One value from the shared store, read as any replica would.</summary>
    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using DbConnection connection = _postgres is { } postgres
            ? new NpgsqlConnection(postgres.ConnectionString)
            : new SqliteConnection($"Data Source={StateDatabase};Mode=ReadOnly");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.Command(sql, null, [.. parameters.Select(p => (p.Name, (object?)p.Value))]);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Every row of a query on the shared store, each as its columns' values.</summary>
    public async Task<IReadOnlyList<object?[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using DbConnection connection = _postgres is { } postgres
            ? new NpgsqlConnection(postgres.ConnectionString)
            : new SqliteConnection($"Data Source={StateDatabase};Mode=ReadOnly");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return await connection.QueryAsync(sql, null, r =>
        {
            var values = new object?[r.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            }

            return values;
        }, TestContext.Current.CancellationToken, [.. parameters.Select(p => (p.Name, (object?)p.Value))]);
    }

    /// <summary>Every replica's output, for a failure message.</summary>
    public string Output => string.Join("\n", _bots.Select(b => $"--- {b.Key} ---\n{b.Value.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var bot in _bots.Values)
        {
            await bot.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _root.Dispose();
    }
}
