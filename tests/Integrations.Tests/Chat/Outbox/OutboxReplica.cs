using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Coordination;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

/// <summary>
/// One replica of the bot on an <see cref="OutboxHarness"/>'s state store, composed as its host composes it: registered in
/// the <c>replicas</c> table, counting the others through its own heartbeat, and sending through its own outbox worker
/// with its own buckets. The heartbeat is driven by the test (<see cref="BeatAsync"/>), on the harness's manual clock.
/// </summary>
internal sealed class OutboxReplica : IDisposable
{
    public static readonly ReplicaOptions Settings = new() { HeartbeatInterval = TimeSpan.FromSeconds(2), DeadAfter = TimeSpan.FromSeconds(10) };

    private OutboxReplica(ReplicaIdentity identity, LiveReplicas live, ReplicaHeartbeat heartbeat, QueueWorker<ChatDestination, OutboxWork> worker, DestinationLimiter limiter)
    {
        Identity = identity;
        Live = live;
        Heartbeat = heartbeat;
        Worker = worker;
        Limiter = limiter;
    }

    public ReplicaIdentity Identity { get; }

    public LiveReplicas Live { get; }

    public ReplicaHeartbeat Heartbeat { get; }

    public QueueWorker<ChatDestination, OutboxWork> Worker { get; }

    public DestinationLimiter Limiter { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts a replica called <paramref name="name"/>: it registers and reads the replicas already there.</summary>
    public static async Task<OutboxReplica> JoinAsync(OutboxHarness harness, string name, params IChatSender[] senders)
    {
        var identity = new ReplicaIdentity(name, Settings.DeadAfter);
        var live = new LiveReplicas(identity);
        var leases = new ScheduleLeaseStore(harness.Database);
        var heartbeat = new ReplicaHeartbeat(new ReplicaStore(harness.Database, harness.Time), leases,
            new ScheduleOwnership(leases, identity, harness.Time, NullLogger<ScheduleOwnership>.Instance), identity, live,
            Options.Create(Settings), harness.Time, NullLogger<ReplicaHeartbeat>.Instance);
        await heartbeat.RegisterAsync(Ct);
        return new OutboxReplica(identity, live, heartbeat, harness.CreateWorker(identity, live, senders), harness.CreateLimiter(identity, live));
    }

    /// <summary>
    /// Starts each of <paramref name="names"/> with recording senders of its own (Slack and Discord), then lets each beat
    /// once so that every one counts every other.
    /// </summary>
    public static async Task<(OutboxReplica Replica, RecordingChatSender Slack, RecordingChatSender Discord)[]> JoinAllAsync(OutboxHarness harness, params string[] names)
    {
        var replicas = new List<(OutboxReplica, RecordingChatSender, RecordingChatSender)>();
        foreach (var name in names)
        {
            var slack = new RecordingChatSender();
            var discord = new RecordingChatSender("discord");
            replicas.Add((await JoinAsync(harness, name, slack, discord), slack, discord));
        }

        foreach (var (replica, _, _) in replicas)
        {
            await replica.BeatAsync();
        }

        return [.. replicas];
    }

    public Task BeatAsync() => Heartbeat.BeatAsync(Ct);

    public Task<DateTimeOffset?> RunOnceAsync() => Worker.RunOnceAsync(Ct);

    public void Dispose() => Heartbeat.Dispose();
}
