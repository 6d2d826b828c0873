using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Opens connections to the state store, and brings its schema up to date at start (<see cref="InitializeAsync"/>).
/// What is particular to the engine (connection set-up, busy handling, the write lock, disk faults) is its
/// <see cref="ISqlDialect"/>'s; writes that must be atomic use <see cref="WriteAsync{T}"/>, which takes the write lock up front.
/// Short writes that many callers make at the same moment use <see cref="WriteGroupedAsync{T}"/> instead: they share one
/// transaction (group commit), and each caller still hears back only once its write is committed.
/// </summary>
public sealed partial class StateDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The meter counting committed write transactions, and the writes that shared one.</summary>
    public const string MeterName = "ChatOps.Storage";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Transactions = Meter.CreateCounter<long>("chatops_storage_write_transactions",
        description: "Write transactions committed to the state store.");
    private static readonly Counter<long> Grouped = Meter.CreateCounter<long>("chatops_storage_grouped_writes",
        description: "Writes made through group commit, however many shared each transaction.");

    private readonly IReadOnlyList<IStateSchema> _schemas;
    private readonly IOptionsMonitor<StorageOptions>? _monitor;
    private readonly long? _maxSizeBytes;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ISqlDialect _dialect;
    private readonly Lazy<WriteBatcher> _batcher;
    private StorageFault? _lastWriteFault;
    private long _committedWrites;

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
        _dialect = SqlDialects.For(options.Value, host.ContentRootPath);
        _schemas = [new StorageSchema(), .. schemas];
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _batcher = new Lazy<WriteBatcher>(() => new WriteBatcher(this, _logger));
    }

    /// <summary>Write transactions committed through this instance since it was made: what a write path costs, countable in tests.</summary>
    public long CommittedWrites => Interlocked.Read(ref _committedWrites);

    /// <summary>Grouped writes waiting for their transaction (for tests and diagnostics).</summary>
    internal int WaitingGroupedWrites => _batcher.IsValueCreated ? _batcher.Value.Waiting : 0;

    /// <summary>Where the data lives: the database file resolved against the content root, or the server and database.</summary>
    public string DataSource => _dialect.DataSource;

    /// <summary>Why the last write failed when it failed for want of disk; null once a write succeeds.</summary>
    public StorageFault? LastWriteFault => Volatile.Read(ref _lastWriteFault);

    /// <summary>The folder that holds the database file; null when the data lives on a database server.</summary>
    public string? DataFolder => _dialect.DataFolder;

    /// <summary>The engine, as in <c>Storage:Provider</c>.</summary>
    public string Provider => _dialect.Name;

    /// <summary>A text column's JSON field as this engine reads it in a query (<see cref="SqlJson"/>); names from our own SQL only.</summary>
    public string JsonText(string column, string field) => _dialect.JsonText(column, field);

    /// <summary>The storage fault behind <paramref name="exception"/> (or one it wraps), told by this store's engine, so it names the server.</summary>
    public StorageFault? FaultOf(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (_dialect.FaultOf(e) is { } fault)
            {
                return fault;
            }
        }

        return null;
    }

    /// <summary>Records the outcome of a write made outside <see cref="WriteAsync{T}"/>: its fault, or null when it succeeded.</summary>
    public void ReportWrite(StorageFault? fault) => Volatile.Write(ref _lastWriteFault, fault);

    /// <summary>
    /// Creates the file and applies every migration it has not recorded. Safe to call more than once.
    /// </summary>
    /// <exception cref="SchemaTooNewException">A newer build migrated the database.</exception>
    /// <exception cref="InvalidOperationException">Two migrations share a number.</exception>
    public async Task<MigrationReport> InitializeAsync(CancellationToken cancellationToken)
    {
        Log.Opening(_logger, _dialect.Name, _dialect.DataSource);
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

    /// <summary>An open connection; disposing it gives it back to the engine's pool.</summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => _dialect.OpenAsync(MaxSizeBytes, cancellationToken);

    private long? MaxSizeBytes => _monitor is null ? _maxSizeBytes : _monitor.CurrentValue.MaxSizeBytes;

    /// <summary>Runs <paramref name="work"/> in one transaction holding the write lock from the start.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        CommitAsync(_dialect.BeginWriteAsync, work, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction begun by <paramref name="begin"/>, commits it and counts it.</summary>
    private async Task<T> CommitAsync<T>(Func<DbConnection, CancellationToken, Task<DbTransaction>> begin, Func<DbConnection, DbTransaction, Task<T>> work,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dialect.OpenForWriteAsync(MaxSizeBytes, cancellationToken);
            await using var transaction = await begin(connection, cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            ReportWrite(null);
            var committed = Interlocked.Increment(ref _committedWrites);
            Transactions.Add(1);
            Log.WriteCommitted(_logger, committed);
            return result;
        }
        catch (Exception ex) when (FaultOf(ex) is { } fault)
        {
            ReportWrite(fault);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction shared with the other grouped writes due now, and returns once that
    /// transaction is committed. The work runs in a savepoint of its own: when it throws, it alone is undone and its caller
    /// alone fails. It must only read and write through the connection it is given (it may run a second time, alone, when
    /// the shared transaction could not be committed), and never call back into this database.
    /// </summary>
    public Task<T> WriteGroupedAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        Grouped.Add(1);
        Log.GroupedWriteQueued(_logger);
        return _batcher.Value.WriteAsync(work, cancellationToken);
    }

    /// <summary>
    /// Waits until every grouped write already taken is committed; later ones run alone, each on a connection closed after
    /// it. Kept SQLite connections are closed (the file is then free); PostgreSQL's pool goes with the process.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_batcher.IsValueCreated)
        {
            await _batcher.Value.DisposeAsync();
        }

        await _dialect.DisposeAsync();
    }

    /// <summary>The same drain for a container disposed synchronously; the batch runs on the thread pool, not on this thread.</summary>
    public void Dispose()
    {
        if (_batcher.IsValueCreated)
        {
            _batcher.Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _dialect.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Runs several reads in one transaction of their own that writes nothing, so that all of them see the same committed
    /// state: what one shows cannot have changed between it and the next.
    /// </summary>
    public async Task<T> ReadSnapshotAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await _dialect.BeginSnapshotAsync(connection, cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Runs a read in its own connection.</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }
}
