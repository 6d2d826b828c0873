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
    /// <summary>SQLite's largest page count (SQLITE_MAX_PAGE_COUNT): no cap.</summary>
    private const long UncappedPages = 4294967294;

    private readonly string _connectionString;
    private readonly IEnumerable<IStateSchema> _schemas;
    private readonly IOptionsMonitor<StorageOptions>? _monitor;
    private readonly long? _maxSizeBytes;
    private int _initialized;
    private StorageFault? _lastWriteFault;
    private bool _capped;

    public StateDatabase(IOptions<StorageOptions> options, IEnumerable<IStateSchema> schemas, IHostEnvironment host, IOptionsMonitor<StorageOptions>? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _monitor = monitor;
        _maxSizeBytes = options.Value.MaxSizeBytes;
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

    /// <summary>Why the last write failed when it failed for want of disk; null once a write succeeds.</summary>
    public StorageFault? LastWriteFault => Volatile.Read(ref _lastWriteFault);

    /// <summary>Records the outcome of a write made outside <see cref="WriteAsync{T}"/>: its fault, or null when it succeeded.</summary>
    public void ReportWrite(StorageFault? fault) => Volatile.Write(ref _lastWriteFault, fault);

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

    /// <summary>
    /// Writes one row and commits, so that a store that can be opened but not written (read-only file,
    /// full disk) is found before anything relies on it.
    /// </summary>
    public Task CheckWritableAsync(CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "CREATE TABLE IF NOT EXISTS storage_check (id INTEGER PRIMARY KEY, checks INTEGER NOT NULL); "
                + "INSERT INTO storage_check (id, checks) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET checks = checks + 1;";
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", cancellationToken);
        var maxSize = _monitor is null ? _maxSizeBytes : _monitor.CurrentValue.MaxSizeBytes;
        if (maxSize is not null)
        {
            Volatile.Write(ref _capped, true);
        }

        // max_page_count belongs to the connection, and pooled connections keep it: once a cap was set,
        // every connection is given the current one (or SQLite's own limit when it was lifted).
        if (Volatile.Read(ref _capped))
        {
            var pages = UncappedPages;
            if (maxSize is { } bytes)
            {
                await using var pageSize = connection.CreateCommand();
                pageSize.CommandText = "PRAGMA page_size";
                pages = bytes / (long)(await pageSize.ExecuteScalarAsync(cancellationToken))!;
            }

            await ExecuteAsync(connection, $"PRAGMA max_page_count={pages};", cancellationToken);
        }

        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction holding the write lock from the start.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            // Not deferred: BEGIN IMMEDIATE takes the write lock now, so check-then-write cannot race.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            ReportWrite(null);
            return result;
        }
        catch (Exception ex) when (StorageFault.From(ex) is { } fault)
        {
            ReportWrite(fault);
            throw;
        }
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
