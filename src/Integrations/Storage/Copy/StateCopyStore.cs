using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ChatOps.Integrations.Storage.Copy;

/// <summary>
/// The SQL of <see cref="StateCopier"/>: the source's catalog, version and replicas read from SQLite, and on PostgreSQL the
/// target's columns, the check that a table is empty, the batched inserts and the identity sequences. Names of tables and
/// columns come from the catalogs, quoted; every value is a parameter.
/// </summary>
internal static class StateCopyStore
{
    /// <summary>Rows per <c>INSERT</c> at most; fewer for wide tables, so one statement stays far below PostgreSQL's 65,535 parameters.</summary>
    private const int BatchRows = 500;

    private const int BatchParameters = 30_000;

    public static async Task<int> SourceVersionAsync(SqliteConnection source, SqliteTransaction snapshot, string sourceFile, CancellationToken cancellationToken)
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
    public static async Task RefuseLiveReplicasAsync(SqliteConnection source, SqliteTransaction snapshot, string sourceFile, DateTimeOffset now, TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        var hasReplicas = await ScalarAsync(source, snapshot, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'replicas'", cancellationToken);
        if (Convert.ToInt64(hasReplicas, CultureInfo.InvariantCulture) == 0)
        {
            return;
        }

        var cutoff = (now - deadAfter).ToUnixTimeMilliseconds();
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

    public static async Task<List<SourceTable>> SourceTablesAsync(SqliteConnection source, SqliteTransaction snapshot, CancellationToken cancellationToken)
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

    public static async Task<Dictionary<string, TargetColumn>> TargetColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table,
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
    public static async Task PrepareTargetTableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, bool seeded, string target,
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

    public static async Task<long> CopyTableAsync(SqliteConnection source, SqliteTransaction snapshot, NpgsqlConnection connection, NpgsqlTransaction transaction,
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

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, List<TargetColumn> columns, List<object[]> batch,
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
    public static async Task MoveSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, Dictionary<string, TargetColumn> columns,
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

    public static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}

internal sealed record SourceTable(string Name, IReadOnlyList<string> Columns);

internal sealed record TargetColumn(string Name, NpgsqlDbType Type, bool Generated);
