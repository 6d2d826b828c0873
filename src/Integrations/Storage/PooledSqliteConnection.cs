using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// A SQLite connection that stays open between uses and keeps its compiled statements (<see cref="ICommandCache"/>).
/// Disposing it gives it back to its <see cref="SqliteConnectionPool"/>; the pool closes it for good when it has
/// enough idle ones, when the connection is left inside a transaction, or when the database is disposed.
/// </summary>
internal sealed class PooledSqliteConnection(string connectionString, SqliteConnectionPool pool) : SqliteConnection(connectionString), ICommandCache
{
    /// <summary>The most distinct statements one connection keeps compiled; text built at run time beyond this is compiled each time.</summary>
    public const int MaxStatements = 256;

    private readonly Dictionary<string, DbCommand> _statements = new(StringComparer.Ordinal);

    /// <summary>The size cap (<c>max_page_count</c>) last set on this connection, and whether one was ever set.</summary>
    public (bool Set, long? MaxSizeBytes) Cap { get; set; }

    /// <summary>Rented for a write transaction (<see cref="SqliteConnectionPool.RentWriter"/>), so given back as the writer.</summary>
    public bool Writes { get; set; }

    /// <summary>Whether it is open and outside any transaction: only then may another caller have it.</summary>
    public bool IsReusable => State == ConnectionState.Open && raw.sqlite3_get_autocommit(Handle) != 0;

    public DbCommand Rent(string sql)
    {
        // Taken out while in use: a query run while another with the same text still reads gets a command of its own.
        if (_statements.Remove(sql, out var command))
        {
            return command;
        }

        command = CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public void Return(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Transaction = null;
        // Its parameters are kept for the next run of the same statement, without the values of this one.
        for (var i = 0; i < command.Parameters.Count; i++)
        {
            command.Parameters[i].Value = DBNull.Value;
        }

        if (_statements.Count >= MaxStatements || !_statements.TryAdd(command.CommandText, command))
        {
            command.Dispose();
        }
    }

    /// <summary>Finalizes the kept statements and closes the connection, whatever the pool would do with it.</summary>
    public void CloseForGood()
    {
        DisposeStatements();
        base.Dispose(true);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && pool.TryTakeBack(this))
        {
            return;
        }

        DisposeStatements();
        base.Dispose(disposing);
    }

    private void DisposeStatements()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
    }
}
