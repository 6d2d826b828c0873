namespace ChatOps.Integrations.Storage;

/// <summary>
/// One statement of a migration, written in SQLite's DDL. On PostgreSQL it is translated (<see cref="PostgresDdl"/>:
/// the key, integer, real and blob types), unless <see cref="Postgres"/> gives the statement outright for what the
/// translation refuses (<c>json_extract</c>, <c>INSERT OR …</c>, <c>X'…'</c> literals). A string converts to a statement
/// with no PostgreSQL form of its own, so most migrations are written as plain strings.
/// </summary>
/// <param name="Sqlite">The statement as SQLite runs it.</param>
/// <param name="Postgres">The statement as PostgreSQL runs it, where the translation of <paramref name="Sqlite"/> cannot serve.</param>
public sealed record MigrationStatement(string Sqlite, string? Postgres = null)
{
    public static implicit operator MigrationStatement(string sqlite) => new(sqlite);

    /// <summary>For callers that cannot use the implicit conversion.</summary>
    public static MigrationStatement FromString(string sqlite) => new(sqlite);

    public override string ToString() => Sqlite;
}
