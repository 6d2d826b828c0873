using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// Brings a database to the schema this build knows: every registered migration not yet recorded, in number
/// order, each in its own write transaction together with its record, so a failing one leaves the version
/// where it was. A database recorded at a higher version than any migration here is refused before anything changes.
/// </summary>
internal sealed class StateMigrator(ISqlDialect dialect, TimeProvider timeProvider, ILogger logger)
{
    public async Task<MigrationReport> MigrateAsync(DbConnection connection, IEnumerable<IStateSchema> schemas, CancellationToken cancellationToken)
    {
        var migrations = Ordered(schemas);
        var known = migrations.Count == 0 ? 0 : migrations[^1].Number;
        await using var migrationLock = await dialect.LockMigrationsAsync(connection, cancellationToken);

        var adopted = false;
        if (!await dialect.TableExistsAsync(connection, null, SchemaMigrationStore.Table, cancellationToken))
        {
            // Tables but no versions: written before versioning. The baseline migrations are written to run on it.
            adopted = await dialect.HasTablesAsync(connection, cancellationToken);
            if (adopted)
            {
                Log.Adopting(logger, dialect.DataSource);
            }

            await using var create = await dialect.BeginWriteAsync(connection, cancellationToken);
            await SchemaMigrationStore.CreateAsync(dialect, connection, create, cancellationToken);
            await create.CommitAsync(cancellationToken);
        }

        var applied = await SchemaMigrationStore.AppliedAsync(connection, null, cancellationToken);
        var from = applied.Count == 0 ? 0 : applied.Max;
        if (from > known)
        {
            throw new SchemaTooNewException(from, known);
        }

        var appliedNow = new List<int>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Number)))
        {
            if (await ApplyAsync(connection, migration, cancellationToken))
            {
                appliedNow.Add(migration.Number);
            }
        }

        var to = Math.Max(from, appliedNow.Count == 0 ? 0 : appliedNow[^1]);
        if (appliedNow.Count > 0)
        {
            Log.Migrated(logger, dialect.DataSource, from, to);
        }

        return new MigrationReport(adopted, from, to, appliedNow);
    }

    /// <summary>Every migration in number order; two with one number, or a number below 1, stop the start.</summary>
    public static List<Migration> Ordered(IEnumerable<IStateSchema> schemas)
    {
        var migrations = schemas.SelectMany(s => s.Migrations.Select(m => (Schema: s.GetType().Name, Migration: m))).ToList();
        var problems = migrations.Where(m => m.Migration.Number < 1)
            .Select(m => $"migration {m.Migration.Number} '{m.Migration.Name}' ({m.Schema}) is numbered below 1")
            .Concat(migrations.GroupBy(m => m.Migration.Number).Where(g => g.Count() > 1)
                .Select(g => $"migration number {g.Key} is used more than once: {string.Join(", ", g.Select(m => $"'{m.Migration.Name}' ({m.Schema})"))}"))
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The state store's migrations are inconsistent: {string.Join("; ", problems)}.");
        }

        return [.. migrations.Select(m => m.Migration).OrderBy(m => m.Number)];
    }

    private async Task<bool> ApplyAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);

        // Another process (or another start-up caller here) may have applied it while this one waited for the lock.
        if ((await SchemaMigrationStore.AppliedAsync(connection, transaction, cancellationToken)).Contains(migration.Number))
        {
            return false;
        }

        foreach (var statement in migration.Statements)
        {
            await ExecuteAsync(connection, transaction, dialect.Ddl(statement), cancellationToken);
        }

        foreach (var column in migration.AddedColumns)
        {
            if (!await dialect.ColumnExistsAsync(connection, transaction, column.Table, column.Name, cancellationToken))
            {
                await ExecuteAsync(connection, transaction, dialect.AddColumn(column), cancellationToken);
            }
        }

        await SchemaMigrationStore.RecordAsync(connection, transaction, migration, timeProvider.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.MigrationApplied(logger, migration.Number, migration.Name);
        return true;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
