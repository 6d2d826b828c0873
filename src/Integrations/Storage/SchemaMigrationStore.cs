using System.Data.Common;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Owns <c>schema_migrations</c>: one row per migration applied to this database (number, name, when).
/// The database's schema version is its highest number.
/// </summary>
internal static class SchemaMigrationStore
{
    public const string Table = "schema_migrations";

    /// <summary>Not a migration of its own (it records them), so written as one, and run in the dialect's DDL.</summary>
    private static readonly MigrationStatement Create =
        "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";

    public static Task CreateAsync(ISqlDialect dialect, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, dialect.Ddl(Create), [], cancellationToken);

    public static async Task<SortedSet<int>> AppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT number FROM schema_migrations";
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var numbers = new SortedSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return numbers;
    }

    public static Task RecordAsync(DbConnection connection, DbTransaction transaction, Migration migration, DateTimeOffset appliedAt, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            "INSERT INTO schema_migrations (number, name, applied_at) VALUES (@number, @name, @applied_at)",
            [("@number", migration.Number), ("@name", migration.Name), ("@applied_at", appliedAt.ToUnixTimeMilliseconds())],
            cancellationToken);

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
