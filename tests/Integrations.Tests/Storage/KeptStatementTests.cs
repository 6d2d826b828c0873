using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// A statement run again on the same connection (SQLite keeps it compiled, with its parameters) binds the values of this
/// run alone, whatever the last run bound and in whatever order the names come.
/// </summary>
public sealed class KeptStatementTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-kept-").FullName;
    private StateDatabase _database = null!;
    private TestStateStore _store = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStateStore.CreateAsync(_root);
        _database = new StateDatabase(Options.Create(_store.Options()), [], new TestHostEnvironment(_root));
        await _database.InitializeAsync(Token);
    }

    [Fact]
    public async Task ScalarAsync_SameStatementAgain_BindsEachRunsValue_NullAndAnotherTypeIncluded()
    {
        var runs = await _database.ReadAsync(async c =>
        {
            const string sql = "SELECT coalesce(CAST(@v AS TEXT), 'null')";
            return new[]
            {
                await c.ScalarAsync(sql, null, Token, ("@v", "text")),
                await c.ScalarAsync(sql, null, Token, ("@v", 42L)),
                await c.ScalarAsync(sql, null, Token, ("@v", null)),
            };
        }, Token);

        Assert.Equal(["text", "42", "null"], runs);
    }

    [Fact]
    public async Task ScalarAsync_SameStatementAgain_WithTheNamesInAnotherOrder_BindsEachByName()
    {
        var runs = await _database.ReadAsync(async c =>
        {
            const string sql = "SELECT CAST(@a AS TEXT) || '-' || CAST(@b AS TEXT)";
            return new[]
            {
                await c.ScalarAsync(sql, null, Token, ("@a", "1"), ("@b", "2")),
                await c.ScalarAsync(sql, null, Token, ("@b", "4"), ("@a", "3")),
            };
        }, Token);

        Assert.Equal(["1-2", "3-4"], runs);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
