using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using ChatOps.Radiator.Events;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Radiator.Tests;

/// <summary>A real event store (SQLite in a temporary directory, or a PostgreSQL database), on a manual clock.</summary>
internal sealed class TestStore : IDisposable
{
    private TestStore(string root, FakeTimeProvider time, RadiatorOptions options)
    {
        Root = root;
        Time = time;
        Options = options;
        Database = new StateDatabase(Microsoft.Extensions.Options.Options.Create(TestStateStores.Of(root).GetAsync("events.db").GetAwaiter().GetResult().Options()),
            [new CoordinationSchema(), new EventStoreSchema(), new Radiator.Deployments.DeploymentSchema()], new TestHostEnvironment(root));
        Ownership = new ScheduleOwnership(new ScheduleLeaseStore(Database), Replica, time, NullLogger<ScheduleOwnership>.Instance);
        Store = new EmbeddedEventStore(Database, Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<EmbeddedEventStore>.Instance);
        Source = new EmbeddedEventSource(Store);
    }

    public string Root { get; }

    /// <summary>The one replica these tests run as, and the schedules it runs.</summary>
    public static ReplicaIdentity Replica { get; } = new("test-replica", TimeSpan.FromSeconds(10));

    public ScheduleOwnership Ownership { get; }

    public FakeTimeProvider Time { get; }

    public RadiatorOptions Options { get; }

    public StateDatabase Database { get; }

    public EmbeddedEventStore Store { get; }

    public EmbeddedEventSource Source { get; }

    public static TestStore Create(DateTimeOffset? now = null, Action<RadiatorOptions>? configure = null)
    {
        var options = new RadiatorOptions();
        configure?.Invoke(options);
        return new TestStore(Directory.CreateTempSubdirectory("radiator-").FullName, new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero)), options);
    }

    public static ILogger<T> Logger<T>() => LoggerFactory.Create(b => b.AddProvider(new XunitLoggerProvider())).CreateLogger<T>();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestStateStores.Of(Root).Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind.
        }
    }
}
