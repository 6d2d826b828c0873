using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// A statement run again on the same connection (SQLite keeps it compiled, with its parameters) binds the values of this
/// run alone, whatever the last run bound and in whatever order the names come.
/// </summary>
public sealed class KeptStatementTests : IAsyncLifetime
{
    private TestDatabase _test = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _test = await TestDatabase.OpenAsync("kept", schemas: []);

    [Fact]
    public async Task ScalarAsync_SameStatementAgain_BindsEachRunsValue_NullAndAnotherTypeIncluded()
    {
        var runs = await _test.Database.ReadAsync(async c =>
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
        var runs = await _test.Database.ReadAsync(async c =>
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

    public ValueTask DisposeAsync() => _test.DisposeAsync();
}
