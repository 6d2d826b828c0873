using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Opens connections to the state store, and brings its schema up to date at start (<see cref="InitializeAsync"/>).
/// What is particular to the engine (connection set-up, busy handling, the write lock, disk faults) is its
/// <see cref="ISqlDialect"/>'s; writes that must be atomic use <see cref="WriteAsync{T}"/>, which takes the write lock up front.
/// </summary>
public sealed class StateDatabase
{
    private readonly IReadOnlyList<IStateSchema> _schemas;
    private readonly IOptionsMonitor<StorageOptions>? _monitor;
    private readonly long? _maxSizeBytes;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SqliteDialect _dialect;
    private StorageFault? _lastWriteFault;

    public StateDatabase(
        IOptions<StorageOptions> options,
        IEnumerable<IStateSchema> schemas,
        IHostEnvironment host,
        IOptionsMonitor<StorageOptions>? monitor = null,
        TimeProvider? timeProvider = null,
        ILogger<StateDatabase>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        _monitor = monitor;
        _maxSizeBytes = options.Value.MaxSizeBytes;
        _dialect = new SqliteDialect(options.Value.ConnectionString, host.ContentRootPath);
        _schemas = [new StorageSchema(), .. schemas];
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The database file, resolved against the content root.</summary>
    public string DataSource => _dialect.DataSource;

    /// <summary>Why the last write failed when it failed for want of disk; null once a write succeeds.</summary>
    public StorageFault? LastWriteFault => Volatile.Read(ref _lastWriteFault);

    /// <summary>Records the outcome of a write made outside <see cref="WriteAsync{T}"/>: its fault, or null when it succeeded.</summary>
    public void ReportWrite(StorageFault? fault) => Volatile.Write(ref _lastWriteFault, fault);

    /// <summary>
    /// Creates the file and applies every migration it has not recorded. Safe to call more than once.
    /// </summary>
    /// <exception cref="SchemaTooNewException">A newer build migrated the database.</exception>
    /// <exception cref="InvalidOperationException">Two migrations share a number.</exception>
    public async Task<MigrationReport> InitializeAsync(CancellationToken cancellationToken)
    {
        _dialect.CreateLocation();
        await using var connection = await OpenAsync(cancellationToken);
        await _dialect.PrepareDatabaseAsync(connection, cancellationToken);
        return await new StateMigrator(_dialect, _timeProvider, _logger).MigrateAsync(connection, _schemas, cancellationToken);
    }

    /// <summary>
    /// Writes one row and commits, so that a store that can be opened but not written (read-only file,
    /// full disk) is found before anything relies on it.
    /// </summary>
    public Task CheckWritableAsync(CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) => StorageCheckStore.TouchAsync(connection, transaction, cancellationToken), cancellationToken);

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // Stores still take SqliteConnection; a second dialect makes them take DbConnection (see Storage/README.md).
        var connection = (SqliteConnection)_dialect.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await _dialect.ConfigureConnectionAsync(connection, _monitor is null ? _maxSizeBytes : _monitor.CurrentValue.MaxSizeBytes, cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction holding the write lock from the start.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)_dialect.BeginWrite(connection);
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
}
