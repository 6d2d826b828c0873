using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Tests.Storage;

namespace ChatOps.Integrations.Tests.Chat.Inbox;

/// <summary>
/// The check an answer given at intake makes reads the sender's finished deliveries through their own index, planned on
/// an empty inbox: PostgreSQL keeps the plan it made for a prepared statement's first runs, and a plan made on an empty
/// table scanned the whole inbox at every status once it had grown.
/// </summary>
public sealed class AnswerCheckPlanTests : IAsyncLifetime
{
    private TestDatabase _test = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _test = await TestDatabase.OpenAsync("answer-check", schemas: [new InboxSchema()]);

    [Fact]
    public async Task ComesBeforeAnswer_PlannedOnAnEmptyInbox_ReadsEveryPartThroughAnIndex()
    {
        var plan = _test.Store.Provider == StorageProvider.Sqlite ? await SqlitePlanAsync() : await PostgresGenericPlanAsync();

        Assert.DoesNotMatch(@"SCAN inbox|Seq Scan on inbox", plan);
        Assert.Contains("ix_inbox_lane_finished", plan, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _test.DisposeAsync();

    private async Task<string> SqlitePlanAsync() =>
        string.Join('\n', await _test.Database.ReadAsync(c => c.QueryAsync($"EXPLAIN QUERY PLAN {InboxStore.ComesBeforeAnswer}", null, r => r.GetString(3), Token,
            ("@id", "d1"), ("@lane", "webchat:ops|webchat:alice"), ("@since", 0L)), Token));

    /// <summary>The plan PostgreSQL keeps for every later run of the statement prepared (as the store's are) on this connection.</summary>
    private async Task<string> PostgresGenericPlanAsync()
    {
        var positional = InboxStore.ComesBeforeAnswer.Replace("@id", "$1", StringComparison.Ordinal)
            .Replace("@lane", "$2", StringComparison.Ordinal).Replace("@since", "$3", StringComparison.Ordinal);
        return await _test.Database.ReadSnapshotAsync(async (c, t) =>
        {
            await c.ExecuteAsync("SET LOCAL plan_cache_mode = force_generic_plan", t, Token);
            await c.ExecuteAsync($"PREPARE comes_before_answer (text, text, bigint) AS {positional}", t, Token);
            try
            {
                return string.Join('\n', await c.QueryAsync("EXPLAIN EXECUTE comes_before_answer ('d1', 'webchat:ops|webchat:alice', 0)", t, r => r.GetString(0), Token));
            }
            finally
            {
                await c.ExecuteAsync("DEALLOCATE comes_before_answer", t, Token);
            }
        }, Token);
    }
}
