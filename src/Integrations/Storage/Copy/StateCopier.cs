using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatOps.Integrations.Storage.Copy;

/// <summary>
/// Copies a SQLite state store into an empty PostgreSQL one (<c>storage-copy</c>), for a bot moving to several replicas.
/// The source is opened read-only and read in one snapshot; it must be at this build's schema version and no replica may
/// be alive in it. The target is migrated by <see cref="StateDatabase.InitializeAsync"/>, must hold no state, and gets
/// every table in one transaction (so a refusal half way keeps nothing), then its identity sequences moved past the copied
/// ids. Tables are read from the source's catalog, so a table added by a later migration is copied without a word here.
/// </summary>
public sealed partial class StateCopier(IReadOnlyList<IStateSchema> schemas, IHostEnvironment host, TimeProvider timeProvider, ILoggerFactory? loggers = null)
{
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;
    private readonly ILogger _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<StateCopier>();

    /// <param name="sourceFile">The SQLite file, which must exist.</param>
    /// <param name="target">Where to copy to; <see cref="StorageOptions.Provider"/> must be <see cref="StorageProvider.Postgres"/>.</param>
    /// <param name="deadAfter">How old a replica's heartbeat must be for it to count as stopped (<c>Replicas:DeadAfter</c>).</param>
    /// <param name="cancellationToken">Stops the copy; the target then keeps nothing.</param>
    /// <exception cref="StateCopyRefusedException">The copy was refused, or a row was; the target holds none of it.</exception>
    /// <exception cref="System.Data.Common.DbException">A database could not be opened or read (a server out of reach); the target holds none of it either.</exception>
    public async Task<StateCopyReport> CopyAsync(string sourceFile, StorageOptions target, TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceFile);
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            return await CopyCheckedAsync(sourceFile, target, deadAfter, cancellationToken);
        }
        catch (StateCopyRefusedException refused)
        {
            CopyLog.Refused(_logger, refused.Message);
            throw;
        }
    }

    private async Task<StateCopyReport> CopyCheckedAsync(string sourceFile, StorageOptions target, TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        if (target.Provider != StorageProvider.Postgres)
        {
            throw new StateCopyRefusedException($"The target must be a PostgreSQL database; Storage:Provider is {target.Provider}.");
        }

        if (!File.Exists(sourceFile))
        {
            throw new StateCopyRefusedException($"There is no SQLite file at {sourceFile}.");
        }

        var sourceString = new SqliteConnectionStringBuilder { DataSource = sourceFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var source = new SqliteConnection(sourceString);
        await source.OpenAsync(cancellationToken);
        // One read transaction: every table is read as of one moment.
        await using var snapshot = (SqliteTransaction)await source.BeginTransactionAsync(cancellationToken);

        var version = await StateCopyStore.SourceVersionAsync(source, snapshot, sourceFile, cancellationToken);
        var known = schemas.SelectMany(s => s.Migrations).Select(m => m.Number).DefaultIfEmpty(0).Max();
        if (version != known)
        {
            throw new StateCopyRefusedException(version < known
                ? $"The source {sourceFile} is at schema version {version}, this build at {known}: start this build once on the SQLite file (it migrates it), stop it, then copy."
                : $"The source {sourceFile} is at schema version {version}, newer than this build's {known}: copy with the build that wrote it.");
        }

        await StateCopyStore.RefuseLiveReplicasAsync(source, snapshot, sourceFile, timeProvider.GetUtcNow(), deadAfter, cancellationToken);
        var tables = await StateCopyStore.SourceTablesAsync(source, snapshot, cancellationToken);

        await using var database = new StateDatabase(Options.Create(target), schemas, host, timeProvider: timeProvider, logger: _loggers.CreateLogger<StateDatabase>());
        CopyLog.Starting(_logger, sourceFile, version, database.DataSource);
        MigrationReport migrated;
        try
        {
            migrated = await database.InitializeAsync(cancellationToken);
        }
        catch (SchemaTooNewException tooNew)
        {
            throw new StateCopyRefusedException($"The target {database.DataSource}: {tooNew.Message}.", tooNew);
        }

        if (migrated.ToVersion != version)
        {
            throw new StateCopyRefusedException($"The target {database.DataSource} is at schema version {migrated.ToVersion}, the source {sourceFile} at {version}.");
        }

        await using var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var copied = new List<TableCopied>();
        var seeded = SeededTables();
        foreach (var table in tables)
        {
            var columns = await StateCopyStore.TargetColumnsAsync(connection, transaction, table.Name, database.DataSource, cancellationToken);
            await StateCopyStore.PrepareTargetTableAsync(connection, transaction, table.Name, seeded.Contains(table.Name), database.DataSource, cancellationToken);
            var rows = await StateCopyStore.CopyTableAsync(source, snapshot, connection, transaction, table, columns, cancellationToken);
            await StateCopyStore.MoveSequencesAsync(connection, transaction, table.Name, columns, cancellationToken);
            copied.Add(new TableCopied(table.Name, rows));
            CopyLog.TableCopied(_logger, table.Name, rows);
        }

        await transaction.CommitAsync(cancellationToken);
        var report = new StateCopyReport(version, copied);
        CopyLog.Committed(_logger, report.TotalRows, copied.Count, database.DataSource);
        return report;
    }

    /// <summary>Tables a migration writes rows into (<c>INSERT … INTO name</c>): a migrated target holds rows there before any state.</summary>
    private HashSet<string> SeededTables() =>
    [
        .. schemas.SelectMany(s => s.Migrations).SelectMany(m => m.Statements)
            .SelectMany(s => SeedingInsert().Matches(s.Sqlite)).Select(m => m.Groups["table"].Value),
    ];

    [GeneratedRegex(@"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?<table>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex SeedingInsert();
}