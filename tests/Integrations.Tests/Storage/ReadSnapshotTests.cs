using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// <see cref="StateDatabase.ReadSnapshotAsync{T}"/>: the reads in it all see one committed state, on either engine, while
/// writers go on beside it.
/// </summary>
public sealed class ReadSnapshotTests : IAsyncLifetime
{
    private TestDatabase _test = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private StateDatabase Database => _test.Database;

    public async ValueTask InitializeAsync()
    {
        _test = await TestDatabase.OpenAsync("snapshot");
        await InsertAsync("a");
    }

    [Fact]
    public async Task ReadSnapshotAsync_WriteCommittedBetweenTwoReads_NeitherSeesIt_ButTheNextReadDoes()
    {
        var (first, second) = await Database.ReadSnapshotAsync(async (c, t) =>
        {
            var before = await CountAsync(c, t);
            // Another connection commits while the snapshot is open: the writer does not wait for the reader.
            await InsertAsync("b");
            return (before, await CountAsync(c, t));
        }, Token);

        Assert.Equal(1L, first);
        Assert.Equal(1L, second);
        Assert.Equal(2L, await Database.ReadAsync(c => CountAsync(c, null), Token));
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t) =>
        (long)(await c.ScalarAsync("SELECT count(*) FROM things", t, Token))!;

    private Task InsertAsync(string name) => Database.WriteAsync((c, t) => TestDatabase.InsertAsync(c, t, name), Token);

    public ValueTask DisposeAsync() => _test.DisposeAsync();
}
