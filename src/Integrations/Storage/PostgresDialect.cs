using System.Data;
using System.Data.Common;
using Npgsql;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// PostgreSQL: one server that several replicas share. Writers are serialised by a transaction-scoped advisory lock,
/// the way SQLite's <c>BEGIN IMMEDIATE</c> serialises them; migrations by a session-scoped one.
/// </summary>
internal sealed partial class PostgresDialect : ISqlDialect
{
    /// <summary>The advisory lock every write transaction takes first ("ChatOps" and 1: our own key, unlikely to be anyone else's).</summary>
    internal const long WriteLockKey = 0x436861744F707301;

    /// <summary>The advisory lock a migration run holds, so that replicas starting at once migrate one after another.</summary>
    internal const long MigrationLockKey = 0x436861744F707302;

    private readonly NpgsqlDataSource _dataSource;

    /// <param name="connectionString">An Npgsql connection string naming at least Host and Database (checked at start).</param>
    public PostgresDialect(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.ApplicationName ??= "chatops";
        // Statements the bot runs again and again are prepared on the server once per connection, as SQLite's are kept.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 128;
        }

        DataSource = Describe(builder);
        _dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }

    public string Name => "Postgres";

    /// <summary>Server, port and database; never the password.</summary>
    public string DataSource { get; }

    public string? DataFolder => null;

    /// <summary>How a store on <paramref name="builder"/>'s server is named in messages: host, port and database, nothing secret.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }

    // Storage:MaxSizeBytes is refused with this engine at start (StorageOptionsProviderValidator): nothing to set per connection.
    public async Task<DbConnection> OpenAsync(long? maxSizeBytes, CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    // The data source stays: a write queued while the database is disposed still runs alone, on a connection of its own.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // The database and its server are the operator's: there is no folder to create or journal to choose.
    public void CreateLocation()
    {
    }

    public Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A read-committed transaction whose first statement waits for the one write lock. Stores read, decide and write
    /// (the audit chain's head, a lease's holder, a delivery id seen before) and rely on no other writer coming in
    /// between, which SQLite's single writer gives them. Row locks would not: the row a store checks may not exist yet.
    /// Read committed, not repeatable read: each statement after the lock then sees every write committed before it.
    /// </summary>
    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        try
        {
            await using var command = DbCommands.Create(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", [("@key", WriteLockKey)]);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A session lock held for the whole migration run: concurrent <c>CREATE TABLE IF NOT EXISTS</c> on PostgreSQL can
    /// still fail on the catalog, and a replica should not start on a schema another is half-way through changing.
    /// </summary>
    public async Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using (var command = DbCommands.Create(connection, null, "SELECT pg_advisory_lock(@key)", [("@key", MigrationLockKey)]))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new SessionLock(connection);
    }

    public string Ddl(MigrationStatement statement) => PostgresDdl.For(statement);

    public StorageFault? FaultOf(Exception exception) => MapFault(exception, DataSource);

    /// <summary>The fault a PostgreSQL error stands for, naming <paramref name="server"/> when known; null for anything else.</summary>
    public static StorageFault? MapFault(Exception exception, string? server) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } =>
            new(StorageFaultKind.Full, $"the state store is full: {ServerName(server)} has no disk room left"),
        PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } =>
            new(StorageFaultKind.ReadOnly, $"the state store is read-only: {ServerName(server)} accepts no writes (a standby, or default_transaction_read_only)"),
        PostgresException { SqlState: PostgresErrorCodes.IoError } =>
            new(StorageFaultKind.IoError, $"the disk under {ServerName(server)} failed a read or write"),
        PostgresException pg when IsConnectionLoss(pg.SqlState) =>
            new(StorageFaultKind.CannotOpen, $"{ServerName(server)} is unavailable ({pg.MessageText})"),
        PostgresException pg when IsRefusal(pg.SqlState) =>
            new(StorageFaultKind.CannotOpen, $"{ServerName(server)} refused the connection ({pg.MessageText})"),
        PostgresException => null,
        // Not an answer from the server: it could not be reached, or the connection broke (refused, reset, timed out).
        NpgsqlException { IsTransient: true } npgsql =>
            new(StorageFaultKind.CannotOpen, $"{ServerName(server)} cannot be reached ({npgsql.Message.TrimEnd('.')})"),
        _ => null,
    };

    public async Task<bool> HasTablesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await CountAsync(connection, null,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", [], cancellationToken) > 0;

    public async Task<bool> TableExistsAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken) =>
        await CountAsync(connection, transaction,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table", [("@table", table)], cancellationToken) > 0;

    public async Task<bool> ColumnExistsAsync(DbConnection connection, DbTransaction? transaction, string table, string column, CancellationToken cancellationToken) =>
        await CountAsync(connection, transaction,
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND column_name = @name",
            [("@table", table), ("@name", column)], cancellationToken) > 0;

    public string JsonText(string column, string field) => SqlJson.Postgres(column, field);

    public string AddColumn(StateColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return $"ALTER TABLE {column.Table} ADD COLUMN {column.Name} {PostgresDdl.Translate(column.Definition)}";
    }

    /// <summary>
    /// Row locks: a claim locks the row it takes (<c>FOR UPDATE … SKIP LOCKED</c>) and passes over one another claim holds,
    /// so replicas claim side by side instead of queueing behind <see cref="WriteLockKey"/>.
    /// </summary>
    public bool LocksRows => true;

    // Read committed takes a snapshot per statement; repeatable read takes one for the transaction, at its first statement.
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
    }

    /// <summary>
    /// Read committed without the write lock. The claim's own statements keep it correct: the locked row is re-read at
    /// its newest committed version and its conditions checked again, and the update that follows is conditional too.
    /// </summary>
    public async Task<DbTransaction> BeginClaimAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
    }

    public string LockSkipping(string alias) => $"FOR UPDATE OF {alias} SKIP LOCKED";

    public bool CanNotify => true;

    // clock_timestamp(), not now(): now() is when the transaction began.
    public string? ServerClockSql => "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint";

    /// <summary><c>pg_notify</c> is queued with the transaction and sent only at its commit; a savepoint rolled back drops it.</summary>
    public async Task NotifyAsync(DbConnection connection, DbTransaction transaction, string channel, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(connection, transaction, "SELECT pg_notify(@channel, '')", [("@channel", channel)]);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string ServerName(string? server) => server ?? "the PostgreSQL server";

    /// <summary>Connection exceptions (class 08) and the server shutting down, starting or crashing (57P01–57P03).</summary>
    private static bool IsConnectionLoss(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow;

    /// <summary>Wrong user or password (class 28), or no such database (3D000): the settings, not the bot, must change.</summary>
    private static bool IsRefusal(string sqlState) =>
        sqlState.StartsWith("28", StringComparison.Ordinal) || sqlState == PostgresErrorCodes.InvalidCatalogName;

    private static async Task<long> CountAsync(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(connection, transaction, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Releases the migration lock; a connection that broke has lost it with its session anyway.</summary>
    private sealed class SessionLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection.State != ConnectionState.Open)
            {
                return;
            }

            try
            {
                await using var command = DbCommands.Create(connection, null, "SELECT pg_advisory_unlock(@key)", [("@key", MigrationLockKey)]);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The session ended with the connection, and its lock with it; the run's own outcome is what matters.
            }
        }
    }
}
