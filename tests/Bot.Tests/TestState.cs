using ChatOps.Bot.Audit;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests;

/// <summary>A real SQLite state store in a temporary directory, with every feature's tables.</summary>
public sealed class TestState : IAsyncDisposable
{
    private TestState(string root, StateDatabase database, ManualTimeProvider time)
    {
        Root = root;
        Database = database;
        Time = time;
    }

    public string Root { get; }

    public StateDatabase Database { get; }

    public ManualTimeProvider Time { get; }

    public RunStore Runs => new(Database, Time);

    public LockStore Locks => new(Database, Time);

    public AuditTrail Audit => new(Database, Time);

    public DecisionStore Decisions => new(Database, Time);

    public static async Task<TestState> CreateAsync()
    {
        var root = Directory.CreateTempSubdirectory("chatops-state-").FullName;
        var time = new ManualTimeProvider();
        var database = new StateDatabase(Options.Create(new StorageOptions { ConnectionString = "Data Source=state.db" }),
            [new WorkflowSchema(), new DecisionSchema(), new AuditSchema()], new TestHostEnvironment(root));
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        return new TestState(root, database, time);
    }

    public static EnvironmentCatalog Catalog(Action<EnvironmentsOptions>? configure = null)
    {
        var options = new EnvironmentsOptions();
        options.Environments["dev"] = new EnvironmentOptions();
        options.Environments["test"] = new EnvironmentOptions();
        options.Environments["prod"] = new EnvironmentOptions { Policy = new PolicyOptions { ChangeRole = "ops", Approve = ["destroy"] } };
        configure?.Invoke(options);
        return new EnvironmentCatalog(Options.Create(options));
    }

    /// <summary>The default environments, all on the test's fake provider and without a load balancer.</summary>
    public static EnvironmentCatalog FakeCatalog() => Catalog(o =>
    {
        foreach (var env in o.Environments.Values)
        {
            env.Provider = "Fake";
            env.LoadBalancer = "None";
        }
    });

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
        return ValueTask.CompletedTask;
    }
}
