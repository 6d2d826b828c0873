using System.Data.Common;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// What differs between database engines, in one place: how a connection is made and set up, how a
/// transaction takes the write lock, how the catalog is asked about tables and columns, and which
/// provider errors mean a disk the bot can do nothing about. Store SQL stays in the subset the engines
/// share (<c>ON CONFLICT … DO UPDATE</c>, <c>ON CONFLICT DO NOTHING</c>, <c>RETURNING</c>).
/// </summary>
internal interface ISqlDialect : IAsyncDisposable
{
    /// <summary>The engine's name, as in <c>Storage:Provider</c>.</summary>
    string Name { get; }

    /// <summary>Where the data lives, for messages (a file path, or a server and database).</summary>
    string DataSource { get; }

    /// <summary>The folder that holds the database file; null when the data lives on a server.</summary>
    string? DataFolder { get; }

    /// <summary>
    /// An open connection, set up for the store (SQLite: busy timeout, synchronous, foreign keys, the size cap
    /// <paramref name="maxSizeBytes"/>). Disposing it gives it back to the engine's pool.
    /// </summary>
    Task<DbConnection> OpenAsync(long? maxSizeBytes, CancellationToken cancellationToken);

    /// <summary>As <see cref="OpenAsync"/>, for a write transaction (SQLite: the connection that made the last write, when free).</summary>
    Task<DbConnection> OpenForWriteAsync(long? maxSizeBytes, CancellationToken cancellationToken) => OpenAsync(maxSizeBytes, cancellationToken);

    /// <summary>Once per start, before the first connection (SQLite: creates the file's folder).</summary>
    void CreateLocation();

    /// <summary>Once per start, before migrations and outside any transaction (SQLite: WAL journal).</summary>
    Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A transaction that holds the write lock from its first statement, so check-then-write cannot race.</summary>
    Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Held around a whole migration run, so that processes starting at once apply each migration once. Each migration
    /// is also checked again under the write lock, which is all SQLite needs; PostgreSQL also needs its catalog changes
    /// (creating <c>schema_migrations</c>) made one process at a time.
    /// </summary>
    Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A migration's statement as this engine runs it.</summary>
    /// <exception cref="InvalidOperationException">The statement cannot be run on this engine as written.</exception>
    string Ddl(MigrationStatement statement);

    /// <summary>The fault <paramref name="exception"/> itself (not what it wraps) stands for, or null when it is no disk fault of this engine.</summary>
    StorageFault? FaultOf(Exception exception);

    /// <summary>Whether the database holds any table of its own (not the engine's catalog).</summary>
    Task<bool> HasTablesAsync(DbConnection connection, CancellationToken cancellationToken);

    Task<bool> TableExistsAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken);

    Task<bool> ColumnExistsAsync(DbConnection connection, DbTransaction? transaction, string table, string column, CancellationToken cancellationToken);

    /// <summary>A text column's JSON field in a query (<see cref="SqlJson"/>).</summary>
    string JsonText(string column, string field);

    /// <summary>The statement that adds <paramref name="column"/>; names come from our own migrations, never from input.</summary>
    string AddColumn(StateColumn column);

    /// <summary>
    /// Whether a queue's claim can lock the rows it takes and pass over the rows another claim holds, so claims run in
    /// transactions of their own (<see cref="BeginClaimAsync"/>) without the write lock, side by side. False: claims are
    /// writes like any other, behind the one writer.
    /// </summary>
    bool LocksRows { get; }

    /// <summary>A transaction that only reads, every statement in it seeing the same committed state (one snapshot).</summary>
    Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A transaction for a claim that locks its rows itself (<see cref="LockSkipping"/>); when <see cref="LocksRows"/> is false, a write.</summary>
    Task<DbTransaction> BeginClaimAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// What ends a claim's <c>SELECT</c> so it locks the rows of <paramref name="alias"/> it returns and passes over rows
    /// another transaction has locked; empty when <see cref="LocksRows"/> is false. Names from our own SQL only.
    /// </summary>
    string LockSkipping(string alias);

    /// <summary>Whether other processes can hear a commit (<see cref="NotifyAsync"/>); false: they poll for it.</summary>
    bool CanNotify { get; }

    /// <summary>
    /// The statement that reads the database server's clock, in Unix milliseconds; null when the store is a file on this
    /// machine, which shares this machine's clock.
    /// </summary>
    string? ServerClockSql { get; }

    /// <summary>Tells the processes listening on <paramref name="channel"/> once <paramref name="transaction"/> commits (not before, nor if it does not).</summary>
    Task NotifyAsync(DbConnection connection, DbTransaction transaction, string channel, CancellationToken cancellationToken);

    /// <summary>
    /// Listens on <paramref name="channels"/> over <paramref name="connection"/>, calls <paramref name="listening"/> once it
    /// does and <paramref name="heard"/> with each channel notified, and returns only by throwing: when the connection
    /// breaks or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    Task ListenAsync(DbConnection connection, IReadOnlyCollection<string> channels, Action listening, Action<string> heard, CancellationToken cancellationToken);
}
