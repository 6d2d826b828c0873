using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// SQLite: one file, WAL journal, a busy timeout so concurrent writers queue instead of failing, and
/// <c>BEGIN IMMEDIATE</c> for writes. The size cap (<see cref="StorageOptions.MaxSizeBytes"/>) is the
/// connection's <c>max_page_count</c>. Connections stay open in a <see cref="SqliteConnectionPool"/> with their
/// compiled statements, and are set up once, when first opened.
/// </summary>
internal sealed class SqliteDialect : ISqlDialect
{
    /// <summary>SQLite's largest page count (SQLITE_MAX_PAGE_COUNT): no cap.</summary>
    private const long UncappedPages = 4294967294;

    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCannotOpen = 14;

    private readonly SqliteConnectionPool _pool;
    private bool _capped;

    /// <param name="connectionString">A SQLite connection string; a relative file is resolved against <paramref name="contentRoot"/>.</param>
    /// <param name="contentRoot">The host's content root.</param>
    public SqliteDialect(string connectionString, string contentRoot)
    {
        SqliteLibrary.EnsureConfigured();
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        // Connections are kept open by our own pool (with their compiled statements), not by the provider's.
        builder.Pooling = false;
        builder.DefaultTimeout = 30;
        _pool = new SqliteConnectionPool(builder.ToString());
        DataSource = builder.DataSource;
    }

    public string Name => "Sqlite";

    public string DataSource { get; }

    public string? DataFolder => Path.GetDirectoryName(DataSource);

    public Task<DbConnection> OpenAsync(long? maxSizeBytes, CancellationToken cancellationToken) => SetUpAsync(_pool.Rent(), maxSizeBytes, cancellationToken);

    public Task<DbConnection> OpenForWriteAsync(long? maxSizeBytes, CancellationToken cancellationToken) => SetUpAsync(_pool.RentWriter(), maxSizeBytes, cancellationToken);

    private async Task<DbConnection> SetUpAsync((PooledSqliteConnection Connection, bool IsNew) rented, long? maxSizeBytes, CancellationToken cancellationToken)
    {
        var (connection, isNew) = rented;
        try
        {
            if (isNew)
            {
                await connection.OpenAsync(cancellationToken);
                // Sorts, groupings and IN lists that need a scratch table keep it in memory: on disk each one created,
                // opened and deleted a file in the temporary folder, about once a command.
                await ExecuteAsync(connection, "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", cancellationToken);
                KeepPlansWhateverIsBound(connection);
            }

            await CapAsync(connection, maxSizeBytes, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The query planner's stability guarantee: a statement's plan never depends on the values bound to it. Without it
    /// SQLite reads a bound <c>LIMIT @limit</c> (or a bound <c>LIKE</c> pattern) when it compiles the statement, and
    /// compiles it again whenever that parameter is bound anew, so every kept statement with one was compiled at every
    /// run: the status's last run and the web chat's tail, a twelfth of the process's time under load.
    /// </summary>
    private static void KeepPlansWhateverIsBound(PooledSqliteConnection connection)
    {
        var result = raw.sqlite3_db_config(connection.Handle, raw.SQLITE_DBCONFIG_ENABLE_QPSG, 1, out _);
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite refused its query planner's stability guarantee (error {result}).", result);
        }
    }

    public ValueTask DisposeAsync()
    {
        _pool.Close();
        return ValueTask.CompletedTask;
    }

    public void CreateLocation()
    {
        var directory = Path.GetDirectoryName(DataSource);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    public async Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
    }

    private async Task CapAsync(PooledSqliteConnection connection, long? maxSizeBytes, CancellationToken cancellationToken)
    {
        if (maxSizeBytes is not null)
        {
            Volatile.Write(ref _capped, true);
        }

        // max_page_count belongs to the connection, and kept connections keep it: once a cap was set, every connection
        // is given the current one (or SQLite's own limit when it was lifted) whenever it differs from what it has.
        if (!Volatile.Read(ref _capped) || connection.Cap == (true, maxSizeBytes))
        {
            return;
        }

        var pages = UncappedPages;
        if (maxSizeBytes is { } bytes)
        {
            await using var pageSize = connection.CreateCommand();
            pageSize.CommandText = "PRAGMA page_size";
            pages = bytes / (long)(await pageSize.ExecuteScalarAsync(cancellationToken))!;
        }

        await ExecuteAsync(connection, $"PRAGMA max_page_count={pages};", cancellationToken);
        connection.Cap = (true, maxSizeBytes);
    }

    // Not deferred: BEGIN IMMEDIATE takes the write lock now, so check-then-write cannot race.
    public Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // Each migration is checked again once BEGIN IMMEDIATE holds the file's write lock; nothing more is needed.
    public Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public string Ddl(MigrationStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.Sqlite;
    }

    public StorageFault? FaultOf(Exception exception) => MapFault(exception);

    /// <summary>The disk fault a <see cref="SqliteException"/> stands for; null for anything else.</summary>
    public static StorageFault? MapFault(Exception exception) => exception is SqliteException sqlite
        // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…) keep the primary code in the low byte.
        ? (sqlite.SqliteErrorCode & 0xFF) switch
        {
            SqliteFull => new(StorageFaultKind.Full, "the state store is full: the disk has no room left, or the store reached Storage:MaxSizeBytes"),
            SqliteReadOnly => new(StorageFaultKind.ReadOnly, "the state store is read-only"),
            SqliteIoError => new(StorageFaultKind.IoError, "the disk under the state store failed a read or write"),
            SqliteCannotOpen => new(StorageFaultKind.CannotOpen, "the state store's file cannot be opened or created"),
            _ => null,
        }
        : null;

    public async Task<bool> HasTablesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await CountAsync(connection, null, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", [], cancellationToken) > 0;

    public async Task<bool> TableExistsAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken) =>
        await CountAsync(connection, transaction, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @table", [("@table", table)], cancellationToken) > 0;

    public async Task<bool> ColumnExistsAsync(DbConnection connection, DbTransaction? transaction, string table, string column, CancellationToken cancellationToken) =>
        await CountAsync(connection, transaction, "SELECT count(*) FROM pragma_table_info(@table) WHERE name = @name", [("@table", table), ("@name", column)], cancellationToken) > 0;

    public string JsonText(string column, string field) => SqlJson.Sqlite(column, field);

    public string AddColumn(StateColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return $"ALTER TABLE {column.Table} ADD COLUMN {column.Name} {column.Definition}";
    }

    // One writer: a claim is an ordinary write, and no other claim can hold a row it would have to pass over.
    public bool LocksRows => false;

    public Task<DbTransaction> BeginClaimAsync(DbConnection connection, CancellationToken cancellationToken) => BeginWriteAsync(connection, cancellationToken);

    // Deferred: the first read takes the snapshot (the WAL's end at that moment) and no write lock is ever asked for.
    public Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public string LockSkipping(string alias) => "";

    // No notifications between processes: replicas on one SQLite file poll (WebChat:StreamPollInterval, the queues' intervals).
    public bool CanNotify => false;

    public string? ServerClockSql => null;

    public Task NotifyAsync(DbConnection connection, DbTransaction transaction, string channel, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ListenAsync(DbConnection connection, IReadOnlyCollection<string> channels, Action listening, Action<string> heard, CancellationToken cancellationToken) =>
        throw new NotSupportedException("SQLite has no notifications between processes; replicas on one file poll.");

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static async Task<long> CountAsync(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(connection, transaction, sql, parameters);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
