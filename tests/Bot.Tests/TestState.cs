using ChatOps.Bot.Audit;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Inbound;
using ChatOps.Bot.Tests.Workflows;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.Tests;

/// <summary>
/// A real state store (SQLite in a temporary directory, or a PostgreSQL database: <see cref="TestStateStore"/>), with every feature's tables, and the real
/// chat outbox over it: its dispatcher runs and delivers to <see cref="Chat"/>, the platform's edge.
/// </summary>
internal sealed class TestState : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _started;

    private TestState(string root, ServiceProvider services, List<IHostedService> started, RecordingChatSender chat)
    {
        Root = root;
        _services = services;
        _started = started;
        Chat = chat;
    }

    public string Root { get; }

    public StateDatabase Database => _services.GetRequiredService<StateDatabase>();

    public FakeTimeProvider Time => (FakeTimeProvider)_services.GetRequiredService<TimeProvider>();

    /// <summary>What the outbox's dispatcher actually sent.</summary>
    internal RecordingChatSender Chat { get; }

    public IChatOutbox Outbox => _services.GetRequiredService<IChatOutbox>();

    /// <summary>A new store over the same file each time: as a restarted bot would see it.</summary>
    public InboxStore Inbox => new(Database, Time, Replica);

    /// <summary>This test host as the one replica it is.</summary>
    public ReplicaIdentity Replica => _services.GetRequiredService<ReplicaIdentity>();

    public RunMessages Messages => new(Outbox);

    public ChatReplies Replies => new(Outbox);

    public RunStore Runs => new(Database, Time, Replica);

    public LockStore Locks => new(Database, Time);

    /// <summary>The audit trail's key in these tests; the product keeps it outside the database too.</summary>
    public const string AuditKeyText = "test-audit-key-0123456789abcdef0123456789";

    public AuditKey AuditKey { get; } = AuditKey.FromText(AuditKeyText, "Audit:Key (test)");

    public AuditHeadLog AuditHeads => new(Path.Combine(Root, "audit-heads.log"));

    public AuditTrail Audit => new(Database, AuditKey, AuditHeads, Time, NullLogger<AuditTrail>.Instance);

    public DecisionStore Decisions => new(Database, Time);

    public RunObservers Observers(params IRunObserver[] observers) => new(observers, Runs, Time, NullLogger<RunObservers>.Instance);

    /// <param name="delivery">Outbox settings (<c>ChatDelivery:*</c>) besides the defaults.</param>
    public static async Task<TestState> CreateAsync(IReadOnlyDictionary<string, string?>? delivery = null)
    {
        var root = Directory.CreateTempSubdirectory("chatops-state-").FullName;
        var store = await TestStateStores.Of(root).GetAsync();
        var chat = new RecordingChatSender();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(store.Settings)
            .AddInMemoryCollection((delivery ?? new Dictionary<string, string?>()).ToDictionary(p => $"{ChatDeliveryOptions.SectionName}:{p.Key}", p => p.Value))
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new TestHostEnvironment(root))
            .AddSingleton<TimeProvider>(new FakeTimeProvider())
            .AddSingleton<IChatSender>(chat)
            .AddLogging();
        services.AddChatOutbox()
            .AddStateSchema<WorkflowSchema>()
            .AddStateSchema<DecisionSchema>()
            .AddStateSchema<AuditSchema>()
            .AddStateSchema<InboxSchema>()
            .AddStateSchema<DriftSchema>()
            .AddStateSchema<Radiator.Alerts.AlertSchema>();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        // As the host would: the store's initializer first, then the outbox's dispatcher.
        var started = new List<IHostedService>();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
            started.Add(hosted);
        }

        return new TestState(root, provider, started, chat);
    }

    public static EnvironmentCatalog Catalog(Action<EnvironmentsOptions>? configure = null)
    {
        var options = new EnvironmentsOptions();
        options.Environments["dev"] = new EnvironmentOptions();
        options.Environments["test"] = new EnvironmentOptions();
        options.Environments["prod"] = new EnvironmentOptions { Policy = new PolicyOptions { ChangeRole = "ops", Approve = ["destroy"] } };
        configure?.Invoke(options);
        return new EnvironmentCatalog(Options.Create(options), TestCatalog.Policies);
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

    /// <summary>Waits until the run's message is out and returns its platform id.</summary>
    public async Task<string> MessageIdAsync(long runId)
    {
        string? id = null;
        await Wait.UntilAsync(async () => (id = await Messages.GetMessageIdAsync(runId, TestContext.Current.CancellationToken)) is not null, $"run {runId}'s message");
        return id!;
    }

    public async ValueTask DisposeAsync()
    {
        Chat.Open();
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await TestStateStores.Of(Root).DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
