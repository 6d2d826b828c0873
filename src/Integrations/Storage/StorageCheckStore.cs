using System.Data.Common;

namespace ChatOps.Integrations.Storage;

/// <summary>Owns <c>storage_check</c>: one row whose counter every start increments.</summary>
internal static class StorageCheckStore
{
    public static Task<int> TouchAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync("INSERT INTO storage_check (id, checks) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET checks = storage_check.checks + 1", transaction, cancellationToken);
}
