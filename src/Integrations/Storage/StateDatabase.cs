using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Opens connections to the state store. SQLite runs in WAL mode with a busy timeout so that
/// concurrent writers queue instead of failing; writes that must be atomic use
/// <see cref="WriteAsync{T}"/>, which takes the write lock up front (BEGIN IMMEDIATE).
/// </summary>
public sealed class StateDatabase
{
    private readonly string _connectionString;
    private readonly IEnumerable<IStateSchema> _schemas;
    private int _initialized;

    public StateDatabase(IOptions<StorageOptions> options, IEnumerable<IStateSchema> schemas, IHostEnvironment host)
    {
        var builder = new SqliteConnectionStringBuilder(options.Value.ConnectionString);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(host.ContentRootPath, builder.DataSource));
        }

        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        _connectionString = builder.ToString();
        _schemas = schemas;
        DataSource = builder.DataSource;
    }

    /// <summary>The database file, resolved against the content root.</summary>
    public string DataSource { get; }

    /// <summary>Creates the file and every feature's tables. Safe to call more than once.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(DataSource);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        foreach (var statement in _schemas.SelectMany(s => s.Statements))
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }

        foreach (var column in _schemas.SelectMany(s => s.AddedColumns))
        {
            await AddColumnIfMissingAsync(connection, column, cancellationToken);
        }

        Interlocked.Exchange(ref _initialized, 1);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction holding the write lock from the start.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Not deferred: BEGIN IMMEDIATE takes the write lock now, so check-then-write cannot race.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Runs a read in its own connection.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }

    private static async Task AddColumnIfMissingAsync(SqliteConnection connection, StateColumn column, CancellationToken cancellationToken)
    {
        await using var check = connection.CreateCommand();
        check.CommandText = "SELECT count(*) FROM pragma_table_info(@table) WHERE name = @name";
        check.Parameters.AddWithValue("@table", column.Table);
        check.Parameters.AddWithValue("@name", column.Name);
        if ((long)(await check.ExecuteScalarAsync(cancellationToken))! == 0)
        {
            // Names come from our own schema classes, never from input.
            await ExecuteAsync(connection, $"ALTER TABLE {column.Table} ADD COLUMN {column.Name} {column.Definition}", cancellationToken);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
