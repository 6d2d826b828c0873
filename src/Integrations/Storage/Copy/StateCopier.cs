using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

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
    /// <summary>Rows per <c>INSERT</c> at most; fewer for wide tables, so one statement stays far below PostgreSQL's 65,535 parameters.</summary>
    private const int BatchRows = 500;

    private const int BatchParameters = 30_000;

    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;
    private readonly ILogger _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<StateCopier>();

    /// <param name="sourceFile">The SQLite file, which must exist.</param>
    /// <param name="target">Where to copy to; <see cref="StorageOptions.Provider"/> must be <see cref="StorageProvider.Postgres"/>.</param>
    /// <param name="deadAfter">How old a replica's heartbeat must be for it to count as stopped (<c>Replicas:DeadAfter</c>).</param>
    /// <param name="cancellationToken">Stops the copy; the target then keeps nothing.</param>
    /// <exception cref="StateCopyRefusedException">The copy was refused, or failed; the target holds none of it.</exception>
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

        var version = await SourceVersionAsync(source, snapshot, sourceFile, cancellationToken);
        var known = schemas.SelectMany(s => s.Migrations).Select(m => m.Number).DefaultIfEmpty(0).Max();
        if (version != known)
        {
            throw new StateCopyRefusedException(version < known
                ? $"The source {sourceFile} is at schema version {version}, this build at {known}: start this build once on the SQLite file (it migrates it), stop it, then copy."
                : $"The source {sourceFile} is at schema version {version}, newer than this build's {known}: copy with the build that wrote it.");
        }

        await RefuseLiveReplicasAsync(source, snapshot, sourceFile, deadAfter, cancellationToken);
        var tables = await SourceTablesAsync(source, snapshot, cancellationToken);

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
            var columns = await TargetColumnsAsync(connection, transaction, table.Name, database.DataSource, cancellationToken);
            await PrepareTargetTableAsync(connection, transaction, table.Name, seeded.Contains(table.Name), database.DataSource, cancellationToken);
            var rows = await CopyTableAsync(source, snapshot, connection, transaction, table, columns, cancellationToken);
            await MoveSequencesAsync(connection, transaction, table.Name, columns, cancellationToken);
            copied.Add(new TableCopied(table.Name, rows));
            CopyLog.TableCopied(_logger, table.Name, rows);
        }

        await transaction.CommitAsync(cancellationToken);
        var report = new StateCopyReport(version, copied);
        CopyLog.Committed(_logger, report.TotalRows, copied.Count, database.DataSource);
        return report;
    }

    private static async Task<int> SourceVersionAsync(SqliteConnection source, SqliteTransaction snapshot, string sourceFile, CancellationToken cancellationToken)
    {
        var hasVersions = await ScalarAsync(source, snapshot, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", cancellationToken);
        if (Convert.ToInt64(hasVersions, CultureInfo.InvariantCulture) == 0)
        {
            throw new StateCopyRefusedException($"The source {sourceFile} has no schema version (no schema_migrations table): it is no state store, or one from before versioning; start this build once on it, stop it, then copy.");
        }

        var version = await ScalarAsync(source, snapshot, "SELECT COALESCE(MAX(number), 0) FROM schema_migrations", cancellationToken);
        return Convert.ToInt32(version, CultureInfo.InvariantCulture);
    }

    /// <summary>A bot still running on the file would go on writing what the copy misses, and hold runs the target would think orphaned.</summary>
    private async Task RefuseLiveReplicasAsync(SqliteConnection source, SqliteTransaction snapshot, string sourceFile, TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        var hasReplicas = await ScalarAsync(source, snapshot, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'replicas'", cancellationToken);
        if (Convert.ToInt64(hasReplicas, CultureInfo.InvariantCulture) == 0)
        {
            return;
        }

        var cutoff = (timeProvider.GetUtcNow() - deadAfter).ToUnixTimeMilliseconds();
        await using var command = source.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = "SELECT name, beat_at FROM replicas WHERE beat_at > $cutoff ORDER BY beat_at DESC LIMIT 1";
        command.Parameters.AddWithValue("$cutoff", cutoff);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            var beat = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
            throw new StateCopyRefusedException(
                $"The bot is still running on {sourceFile}: replica {reader.GetString(0)} beat at {beat:u}, within Replicas:DeadAfter ({deadAfter}). Stop it first, let it finish, then copy.");
        }
    }

    private static async Task<List<SourceTable>> SourceTablesAsync(SqliteConnection source, SqliteTransaction snapshot, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using (var command = source.CreateCommand())
        {
            command.Transaction = snapshot;
            // schema_migrations is the target's own: its migrations wrote it.
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations' ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }

        var tables = new List<SourceTable>();
        foreach (var name in names)
        {
            await using var command = source.CreateCommand();
            command.Transaction = snapshot;
            command.CommandText = "SELECT name FROM pragma_table_info($table) ORDER BY cid";
            command.Parameters.AddWithValue("$table", name);
            var columns = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(reader.GetString(0));
            }

            tables.Add(new SourceTable(name, columns));
        }

        return tables;
    }

    private static async Task<Dictionary<string, TargetColumn>> TargetColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table,
        string target, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT column_name, data_type, is_identity = 'YES' OR COALESCE(column_default, '') LIKE 'nextval(%'
            FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table
            """, connection, transaction);
        command.Parameters.AddWithValue("table", table);
        var columns = new Dictionary<string, TargetColumn>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            columns[name] = new TargetColumn(name, PostgresValue.TypeOf(table, name, reader.GetString(1)), reader.GetBoolean(2));
        }

        return columns.Count > 0 ? columns : throw new StateCopyRefusedException($"The target {target} has no table {table}, which the source has; the schemas should be the same.");
    }

    /// <summary>
    /// Refuses a table that holds rows: the copy never merges. Tables a migration fills (the web chat's id key) hold the
    /// target's own row by now, which gives way to the source's, so ids handed out before the move stay valid.
    /// The table is locked until the commit, so nothing writes into it meanwhile.
    /// </summary>
    private static async Task PrepareTargetTableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, bool seeded, string target,
        CancellationToken cancellationToken)
    {
        await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {Quote(table)} IN EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        }

        if (seeded)
        {
            await using var clear = new NpgsqlCommand($"DELETE FROM {Quote(table)}", connection, transaction);
            await clear.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {Quote(table)})", connection, transaction);
        if (await any.ExecuteScalarAsync(cancellationToken) is true)
        {
            throw new StateCopyRefusedException(
                $"The target {target} already holds rows in {table}; the copy never merges or overwrites. Copy into a new, empty database.");
        }
    }

    private static async Task<long> CopyTableAsync(SqliteConnection source, SqliteTransaction snapshot, NpgsqlConnection connection, NpgsqlTransaction transaction,
        SourceTable table, Dictionary<string, TargetColumn> targetColumns, CancellationToken cancellationToken)
    {
        var columns = table.Columns.Select(c => targetColumns.TryGetValue(c, out var column)
            ? column
            : throw new StateCopyRefusedException($"The target has no column {table.Name}.{c}, which the source has; the schemas should be the same.")).ToList();
        var perBatch = Math.Clamp(BatchParameters / columns.Count, 1, BatchRows);

        await using var read = source.CreateCommand();
        read.Transaction = snapshot;
        read.CommandText = $"SELECT {string.Join(", ", columns.Select(c => Quote(c.Name)))} FROM {Quote(table.Name)}";
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var batch = new List<object[]>(perBatch);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            rows++;
            var row = new object[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                var value = reader.GetValue(i);
                row[i] = PostgresValue.Convert(value, columns[i].Type)
                    ?? throw new StateCopyRefusedException(
                        $"Row {rows} of {table.Name} holds {PostgresValue.Describe(value)} in {columns[i].Name}, which PostgreSQL's {columns[i].Type} column cannot take; nothing was copied.");
            }

            batch.Add(row);
            if (batch.Count == perBatch)
            {
                await InsertAsync(connection, transaction, table.Name, columns, batch, rows - batch.Count + 1, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await InsertAsync(connection, transaction, table.Name, columns, batch, rows - batch.Count + 1, cancellationToken);
        }

        return rows;
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, List<TargetColumn> columns, List<object[]> batch,
        long firstRow, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        var values = new List<string>(batch.Count);
        for (var r = 0; r < batch.Count; r++)
        {
            var names = new string[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                names[c] = $"@p{r}_{c}";
                insert.Parameters.Add(new NpgsqlParameter(names[c], columns[c].Type) { Value = batch[r][c] });
            }

            values.Add($"({string.Join(", ", names)})");
        }

        insert.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES {string.Join(", ", values)}";
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException refused)
        {
            throw new StateCopyRefusedException(
                $"The target refused rows {firstRow}–{firstRow + batch.Count - 1} of {table}: {refused.MessageText}{(refused.Detail is { Length: > 0 } detail ? $" ({detail})" : "")}; nothing was copied.",
                refused);
        }
    }

    /// <summary>Ids were copied as they were; the next one the target hands out must come after them, or a new row takes a copied id.</summary>
    private static async Task MoveSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, Dictionary<string, TargetColumn> columns,
        CancellationToken cancellationToken)
    {
        foreach (var column in columns.Values.Where(c => c.Generated))
        {
            var max = $"(SELECT MAX({Quote(column.Name)}) FROM {Quote(table)})";
            await using var move = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence(@table, @column), COALESCE({max}, 1), {max} IS NOT NULL)", connection, transaction);
            move.Parameters.AddWithValue("table", Quote(table));
            move.Parameters.AddWithValue("column", column.Name);
            await move.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Tables a migration writes rows into (<c>INSERT … INTO name</c>): a migrated target holds rows there before any state.</summary>
    private HashSet<string> SeededTables() =>
    [
        .. schemas.SelectMany(s => s.Migrations).SelectMany(m => m.Statements)
            .SelectMany(s => SeedingInsert().Matches(s.Sqlite)).Select(m => m.Groups["table"].Value),
    ];

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    [GeneratedRegex(@"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?<table>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex SeedingInsert();

    private sealed record SourceTable(string Name, IReadOnlyList<string> Columns);

    private sealed record TargetColumn(string Name, NpgsqlDbType Type, bool Generated);
}
