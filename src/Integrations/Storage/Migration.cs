namespace ChatOps.Integrations.Storage;

/// <summary>
/// One schema change, applied once per database in its own transaction and recorded in
/// <c>schema_migrations</c> under <see cref="Number"/>. Statements are written in SQLite's DDL; each engine's
/// dialect runs them (<see cref="MigrationStatement"/>).
/// </summary>
/// <param name="Number">Global order of every feature's migrations; unique, from 1.</param>
/// <param name="Name">What the change is, as recorded in the database.</param>
/// <param name="Statements">The DDL (and any data changes it needs), run in order.</param>
public sealed record Migration(int Number, string Name, IReadOnlyList<MigrationStatement> Statements)
{
    /// <summary>
    /// The highest number of the baseline: migrations 1 to this one create the schema releases had before
    /// versioning, and are written so that they also run on a database those releases wrote
    /// (<c>IF NOT EXISTS</c>, <see cref="AddedColumns"/>), which is how such a database is adopted.
    /// </summary>
    public const int Baseline = 11;

    /// <summary>
    /// Baseline only: columns releases before versioning added to an existing table with <c>ALTER TABLE</c>.
    /// Each is added when missing, so an older database ends with the same columns as a new one.
    /// A later migration adds a column with its own <c>ALTER TABLE</c> statement instead.
    /// </summary>
    public IReadOnlyList<StateColumn> AddedColumns { get; init; } = [];
}

/// <summary>A column to add when missing: <c>ALTER TABLE {Table} ADD COLUMN {Name} {Definition}</c>, the definition in SQLite's types.</summary>
public sealed record StateColumn(string Table, string Name, string Definition);
