using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// <see cref="StateDatabase.ReadSnapshotAsync{T}"/>: the reads in it all see one committed state, on either engine, while
/// writers go on beside it.
/// </summary>
public sealed class ReadSnapshotTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-snapshot-").FullName;
    private StateDatabase _database = null!;
    private TestStateStore _store = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStateStore.CreateAsync(_root);
        _database = new StateDatabase(Options.Create(_store.Options()), [new Schema()], new TestHostEnvironment(_root));
        await _database.InitializeAsync(Token);
        await InsertAsync("a");
    }

    [Fact]
    public async Task ReadSnapshotAsync_WriteCommittedBetweenTwoReads_NeitherSeesIt_ButTheNextReadDoes()
    {
        var (first, second) = await _database.ReadSnapshotAsync(async (c, t) =>
        {
            var before = await CountAsync(c, t);
            // Another connection commits while the snapshot is open: the writer does not wait for the reader.
            await InsertAsync("b");
            return (before, await CountAsync(c, t));
        }, Token);

        Assert.Equal(1L, first);
        Assert.Equal(1L, second);
        Assert.Equal(2L, await _database.ReadAsync(c => CountAsync(c, null), Token));
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t) =>
        (long)(await c.ScalarAsync("SELECT count(*) FROM things", t, Token))!;

    private Task InsertAsync(string name) =>
        _database.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO things (name) VALUES (@name)", t, Token, ("@name", name)), Token);

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private sealed class Schema : IStateSchema
    {
        public IEnumerable<Migration> Migrations => [new(100, "things", ["CREATE TABLE things (name TEXT NOT NULL PRIMARY KEY)"])];
    }
}
