using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Coordination;

/// <summary>Replicas sharing one real SQLite state store, each with its heartbeat and schedule ownership, on one manual clock.</summary>
internal sealed class ReplicaHarness : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-replicas-").FullName;

    private ReplicaHarness()
    {
        Database = new StateDatabase(Options.Create(new StorageOptions { ConnectionString = "Data Source=state.db" }),
            [new CoordinationSchema()], new TestHostEnvironment(_root), timeProvider: Time);
    }

    public static ReplicaOptions Settings { get; } = new() { HeartbeatInterval = TimeSpan.FromSeconds(2), DeadAfter = TimeSpan.FromSeconds(10) };

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));

    public StateDatabase Database { get; }

    public ReplicaStore Replicas => new(Database, Time);

    public ScheduleLeaseStore Leases => new(Database);

    public static async Task<ReplicaHarness> CreateAsync()
    {
        var harness = new ReplicaHarness();
        await harness.Database.InitializeAsync(TestContext.Current.CancellationToken);
        return harness;
    }

    /// <summary>A replica as its host composes it: identity (with its shared settings' digests, when given), ownership and heartbeat.</summary>
    public Replica Create(string name, IConfiguration? configuration = null)
    {
        var identity = new ReplicaIdentity(name, Settings.DeadAfter) { Settings = configuration is null ? null : ReplicaSettings.Encode(configuration) };
        var ownership = new ScheduleOwnership(Leases, identity, Time, NullLogger<ScheduleOwnership>.Instance);
        var live = new LiveReplicas(identity);
        var settingsCheck = new ReplicaSettingsHealthCheck();
        var heartbeat = new ReplicaHeartbeat(Replicas, Leases, ownership, identity, live, Options.Create(Settings), Time, NullLogger<ReplicaHeartbeat>.Instance, settingsCheck);
        return new Replica(identity, ownership, heartbeat, live, settingsCheck);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}

internal sealed record Replica(ReplicaIdentity Identity, ScheduleOwnership Ownership, ReplicaHeartbeat Heartbeat, LiveReplicas Live, ReplicaSettingsHealthCheck SettingsCheck);
