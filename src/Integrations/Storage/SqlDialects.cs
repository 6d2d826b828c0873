namespace ChatOps.Integrations.Storage;

/// <summary>Picks the engine <c>Storage:Provider</c> names.</summary>
internal static class SqlDialects
{
    public static ISqlDialect For(StorageOptions options, string contentRoot) => options.Provider switch
    {
        StorageProvider.Sqlite => new SqliteDialect(options.ConnectionString, contentRoot),
        StorageProvider.Postgres => new PostgresDialect(options.ConnectionString),
        _ => throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not known; use Sqlite or Postgres."),
    };
}
