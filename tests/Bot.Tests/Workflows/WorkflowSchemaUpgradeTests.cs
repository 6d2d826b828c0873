using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>A database written before runs recorded their approver opens, keeps its runs and records approvers from then on.</summary>
public sealed class WorkflowSchemaUpgradeTests : IDisposable
{
    // The runs table as released before approved_by existed.
    private const string OldRuns = """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, environment TEXT NOT NULL, verb TEXT NOT NULL, arguments TEXT NOT NULL,
            requester_id TEXT NOT NULL, requester_name TEXT NOT NULL, platform TEXT NOT NULL, channel TEXT NOT NULL,
            status TEXT NOT NULL, steps TEXT NOT NULL, created_at INTEGER NOT NULL, started_at INTEGER NULL, ended_at INTEGER NULL,
            fencing_token INTEGER NULL, result TEXT NULL, output_tail TEXT NOT NULL DEFAULT '[]');
        INSERT INTO runs (environment, verb, arguments, requester_id, requester_name, platform, channel, status, steps, created_at)
        VALUES ('prod', 'destroy', '{}', 'webchat:alice', 'alice', 'webchat', 'ops', 'awaiting-approval', '[]', 0);
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("chatops-upgrade-").FullName;

    [Fact]
    public async Task InitializeAsync_RunsTableWithoutApprover_AddsTheColumnAndKeepsTheRuns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "state.db")};Pooling=false"))
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = OldRuns;
            await command.ExecuteNonQueryAsync(ct);
        }

        var database = new StateDatabase(Options.Create(new StorageOptions { ConnectionString = "Data Source=state.db" }), [new WorkflowSchema()], new TestHostEnvironment(_root));
        await database.InitializeAsync(ct);
        await database.InitializeAsync(ct);
        var sut = new RunStore(database, TimeProvider.System, new ChatOps.Integrations.Coordination.ReplicaIdentity("upgrade-test", TimeSpan.FromSeconds(10)));

        Assert.Null((await sut.GetAsync(1, ct))!.ApprovedBy);
        await sut.SetApproverAsync(1, "bob", ct);
        Assert.Equal("bob", (await sut.GetAsync(1, ct))!.ApprovedBy);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
