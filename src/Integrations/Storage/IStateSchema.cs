namespace ChatOps.Integrations.Storage;

/// <summary>
/// A feature's tables. Each feature registers one; statements must be idempotent
/// (<c>CREATE TABLE IF NOT EXISTS</c>) because they run at every start.
/// </summary>
public interface IStateSchema
{
    IEnumerable<string> Statements { get; }

    /// <summary>
    /// Columns added to a table after it was first released: <c>CREATE TABLE IF NOT EXISTS</c> leaves an
    /// older database's table as it was, so each is added there when it is missing (after <see cref="Statements"/>).
    /// </summary>
    IEnumerable<StateColumn> AddedColumns => [];
}

/// <summary>A column to add when missing: <c>ALTER TABLE {Table} ADD COLUMN {Name} {Definition}</c>.</summary>
public sealed record StateColumn(string Table, string Name, string Definition);
