using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Coordination;

/// <summary>Replicas sharing one real state store (SQLite unless named), each with its heartbeat and schedule ownership, on one manual clock.</summary>
internal sealed class ReplicaHarness : IAsyncDisposable
{
    private readonly string _root;
    private readonly TestStateStore _store;

    private ReplicaHarness(string root, TestStateStore store, TimeProvider clock)
    {
        _root = root;
        _store = store;
        Clock = clock;
        Database = new StateDatabase(Options.Create(store.Options()), [new CoordinationSchema()], new TestHostEnvironment(_root), timeProvider: Clock);
    }

    public static ReplicaOptions Settings { get; } = new() { HeartbeatInterval = TimeSpan.FromSeconds(2), DeadAfter = TimeSpan.FromSeconds(10) };

    /// <summary>The replicas' clock: a manual one on a fixed day, unless the test gave its own.</summary>
    public TimeProvider Clock { get; }

    public FakeTimeProvider Time => Clock as FakeTimeProvider ?? throw new InvalidOperationException("The replicas run on the test's own clock.");

    public StateDatabase Database { get; }

    public ReplicaStore Replicas => new(Database, Clock);

    public ScheduleLeaseStore Leases => new(Database);

    /// <param name="provider">The engine: SQLite unless named.</param>
    /// <param name="clock">The replicas' clock: a manual one on a fixed day unless given.</param>
    public static async Task<ReplicaHarness> CreateAsync(StorageProvider provider = StorageProvider.Sqlite, TimeProvider? clock = null)
    {
        var root = Directory.CreateTempSubdirectory("chatops-replicas-").FullName;
        var harness = new ReplicaHarness(root, await TestStateStore.CreateAsync(root, provider), clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero)));
        await harness.Database.InitializeAsync(TestContext.Current.CancellationToken);
        return harness;
    }

    /// <summary>A replica as its host composes it: identity (with its shared settings' digests, when given), ownership and heartbeat.</summary>
    public Replica Create(string name, IConfiguration? configuration = null)
    {
        var identity = new ReplicaIdentity(name, Settings.DeadAfter) { Settings = configuration is null ? null : ReplicaSettings.Encode(configuration) };
        var ownership = new ScheduleOwnership(Leases, identity, Clock, NullLogger<ScheduleOwnership>.Instance);
        var live = new LiveReplicas(identity);
        var settingsCheck = new ReplicaSettingsHealthCheck();
        var clockCheck = new ReplicaClockHealthCheck();
        var heartbeat = new ReplicaHeartbeat(Replicas, Leases, ownership, identity, live, Options.Create(Settings), Clock, NullLogger<ReplicaHeartbeat>.Instance,
            settingsCheck, clockCheck);
        return new Replica(identity, ownership, heartbeat, live, settingsCheck, clockCheck);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}

internal sealed record Replica(ReplicaIdentity Identity, ScheduleOwnership Ownership, ReplicaHeartbeat Heartbeat, LiveReplicas Live, ReplicaSettingsHealthCheck SettingsCheck,
    ReplicaClockHealthCheck ClockCheck);
