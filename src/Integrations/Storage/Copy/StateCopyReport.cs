namespace ChatOps.Integrations.Storage.Copy;

/// <summary>What one copy did: the schema version both stores are at, and the rows copied into each table, in the order copied.</summary>
public sealed record StateCopyReport(int SchemaVersion, IReadOnlyList<TableCopied> Tables)
{
    public long TotalRows => Tables.Sum(t => t.Rows);
}

/// <summary>One table copied, with its row count.</summary>
public sealed record TableCopied(string Table, long Rows);
