using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Options;

using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Storage;

public sealed class StateDatabaseTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-db-").FullName;

    [Fact]
    public async Task InitializeAsync_RelativePath_CreatesFileUnderContentRootWithTables()
    {
        var sut = CreateSut("Data Source=data/state.db", new Schema());

        await sut.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Path.Combine(_root, "data", "state.db"), sut.DataSource);
        Assert.True(File.Exists(sut.DataSource));
        var count = await sut.ReadAsync(c => c.ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name = 'things'", null, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        Assert.Equal(1L, count);
    }

    [Fact]
    public async Task Connections_KeepScratchTablesInMemory_AndWriteNoTemporaryFile()
    {
        var sut = CreateSut("Data Source=state.db", new Schema());
        await sut.InitializeAsync(TestContext.Current.CancellationToken);
        var ct = TestContext.Current.CancellationToken;

        // 2 is MEMORY: the sorts and groupings of every command would otherwise each create and delete a file.
        var readStore = await sut.ReadAsync(c => c.ScalarAsync("PRAGMA temp_store", null, ct), ct);
        var writeStore = await sut.WriteAsync((c, t) => c.ScalarAsync("PRAGMA temp_store", t, ct), ct);

        Assert.Equal(2L, readStore);
        Assert.Equal(2L, writeStore);
    }

    [Fact]
    public async Task WriteAsync_WorkThrows_RollsBack()
    {
        var sut = CreateSut("Data Source=state.db", new Schema());
        await sut.InitializeAsync(TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.WriteAsync<int>(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO things (name) VALUES ('a')", t, TestContext.Current.CancellationToken);
            throw new InvalidOperationException("boom");
        }, TestContext.Current.CancellationToken));

        var count = await sut.ReadAsync(c => c.ScalarAsync("SELECT count(*) FROM things", null, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        Assert.Equal(0L, count);
    }

    [Fact]
    public async Task WriteAsync_ConcurrentCheckThenInsert_OnlyOneWins()
    {
        var sut = CreateSut("Data Source=state.db", new Schema());
        await sut.InitializeAsync(TestContext.Current.CancellationToken);

        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(() => sut.WriteAsync(async (c, t) =>
        {
            var existing = (long)(await c.ScalarAsync("SELECT count(*) FROM things", t, TestContext.Current.CancellationToken))!;
            if (existing > 0)
            {
                return false;
            }

            await c.ExecuteAsync("INSERT INTO things (name) VALUES ('only')", t, TestContext.Current.CancellationToken);
            return true;
        }, TestContext.Current.CancellationToken)));

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r);
    }

    private StateDatabase CreateSut(string connectionString, params IStateSchema[] schemas) =>
        new(Options.Create(new StorageOptions { ConnectionString = connectionString }), schemas, new TestHostEnvironment(_root));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class Schema : IStateSchema
    {
        public IEnumerable<Migration> Migrations => [new(100, "things", ["CREATE TABLE things (name TEXT NOT NULL)"])];
    }
}
