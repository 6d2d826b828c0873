namespace ChatOps.Integrations.Storage;

/// <summary>The store's own table: <c>storage_check</c>, the row written at start to prove the store can be written.</summary>
internal sealed class StorageSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(1, "storage check", ["CREATE TABLE IF NOT EXISTS storage_check (id INTEGER PRIMARY KEY, checks INTEGER NOT NULL)"]),
    ];
}
