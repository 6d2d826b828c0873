using ChatOps.Integrations.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// SQLite compiles a kept statement once per connection, whatever is bound to it: a bound <c>LIMIT</c> does not make it
/// compile the statement again at every run, as it does when the plan may depend on bound values.
/// </summary>
public sealed class StablePlanTests : IAsyncLifetime
{
    private const string Newest = "SELECT name FROM things ORDER BY name DESC LIMIT @limit";

    private TestDatabase _test = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _test = await TestDatabase.OpenAsync("stable-plan", StorageProvider.Sqlite);

    [Fact]
    public async Task KeptStatementWithABoundLimit_RunWithThreeLimits_IsNeverCompiledAgain()
    {
        await _test.Database.WriteAsync(async (c, t) =>
        {
            foreach (var name in new[] { "a", "b", "c" })
            {
                await TestDatabase.InsertAsync(c, t, name);
            }

            return 0;
        }, Token);

        var (runs, compiled) = await _test.Database.ReadAsync(async c =>
        {
            // SQLite asks the authorizer about every statement it compiles, and only then.
            var compiled = 0;
            var connection = ((SqliteConnection)c).Handle!;
            raw.sqlite3_set_authorizer(connection, (strdelegate_authorizer)((_, action, _, _, _, _) =>
            {
                compiled += action == raw.SQLITE_SELECT ? 1 : 0;
                return raw.SQLITE_OK;
            }), null);
            try
            {
                var runs = new List<List<string>>();
                foreach (var limit in new[] { 1L, 2L, 3L })
                {
                    runs.Add(await c.QueryAsync(Newest, null, r => r.GetString(0), Token, ("@limit", limit)));
                }

                return (runs, compiled);
            }
            finally
            {
                raw.sqlite3_set_authorizer(connection, (strdelegate_authorizer?)null, null);
            }
        }, Token);

        Assert.Equal([["c"], ["c", "b"], ["c", "b", "a"]], runs);
        Assert.Equal(1, compiled);
    }

    public ValueTask DisposeAsync() => _test.DisposeAsync();
}
