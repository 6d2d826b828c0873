using System.Data.Common;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Owns <c>schema_migrations</c>: one row per migration applied to this database (number, name, when).
/// The database's schema version is its highest number.
/// </summary>
internal static class SchemaMigrationStore
{
    public const string Table = "schema_migrations";

    public static Task CreateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
            [], cancellationToken);

    public static async Task<SortedSet<int>> AppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT number FROM schema_migrations";
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var numbers = new SortedSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers.Add(reader.GetInt32(0));
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
