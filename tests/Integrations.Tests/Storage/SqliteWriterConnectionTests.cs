using System.Data.Common;
using ChatOps.Integrations.Storage;
using Microsoft.Data.Sqlite;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// On SQLite, write transactions keep to one connection while it is free (<see cref="SqliteConnectionPool.RentWriter"/>):
/// SQLite empties a connection's page cache whenever another connection wrote, so a writer that changed connections
/// read its pages again at every write.
/// </summary>
public sealed class SqliteWriterConnectionTests : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-writer-").FullName;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WriteAsync_OneAfterAnother_UseOneConnection_EvenWhileAReadHoldsAnother()
    {
        await using var test = await TestDatabase.OpenAsync("writer", StorageProvider.Sqlite);
        var database = test.Database;
        var first = await database.WriteAsync((c, t) => InsertAsync(c, t, "a"), Token);

        // The connection the first write gave back is not lent to a reader: the read gets one of its own.
        await using var reader = await database.OpenAsync(Token);
        var second = await database.WriteAsync((c, t) => InsertAsync(c, t, "b"), Token);

        Assert.Same(first, second);
        Assert.NotSame(first, reader);
    }

    [Fact]
    public void RentWriter_WhileTheWriterIsOut_LendsAnother_AndTheFirstBackStaysTheWriter()
    {
        var pool = Pool();
        var (writer, _) = pool.RentWriter();
        var (second, _) = pool.RentWriter();
        writer.Open();
        second.Open();

        Assert.NotSame(writer, second);
        writer.Dispose();
        second.Dispose();

        Assert.Same(writer, pool.RentWriter().Connection);
        Assert.Same(second, pool.Rent().Connection);
    }

    [Fact]
    public void RentWriter_AfterClose_IsANewConnection_AndTheOldOneIsClosed()
    {
        var pool = Pool();
        var (writer, isNew) = pool.RentWriter();
        writer.Open();
        writer.Dispose();
        Assert.True(isNew);
        Assert.Same(writer, pool.RentWriter().Connection);
        writer.Dispose();

        pool.Close();

        Assert.Equal(System.Data.ConnectionState.Closed, writer.State);
        Assert.NotSame(writer, pool.RentWriter().Connection);
    }

    private SqliteConnectionPool Pool() =>
        new(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_root, "pool.db"), Pooling = false }.ToString());

    private static async Task<DbConnection> InsertAsync(DbConnection connection, DbTransaction transaction, string name)
    {
        await TestDatabase.InsertAsync(connection, transaction, name);
        return connection;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }
}
