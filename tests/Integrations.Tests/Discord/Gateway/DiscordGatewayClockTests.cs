using ChatOps.Integrations.Discord.Gateway;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;

namespace ChatOps.Integrations.Tests.Discord.Gateway;

/// <summary>
/// What the Gateway client waits for, on a clock the test moves: heartbeats, the zombie check, Invalid Session and
/// the reconnect backoff. Each test first sees the client waiting (its timer created) and only then moves the clock.
/// </summary>
public sealed class DiscordGatewayClockTests
{
    private const int Interval = 10_000;
    private static readonly TimeSpan IntervalSpan = TimeSpan.FromMilliseconds(Interval);

    private static DiscordGatewayTiming Timing(double jitter) => new() { Random = () => jitter };

    [Fact]
    public async Task Heartbeat_FirstAfterIntervalTimesJitterThenEveryIntervalWithTheLastSequence()
    {
        var time = new ObservedTimeProvider();
        await using var gateway = await GatewayHarness.StartAsync(time, Timing(0.25), heartbeatMilliseconds: Interval);
        await gateway.InSessionAsync();
        var connection = gateway.Peer.Connections[0];

        await time.WaitForTimerAsync(d => d == TimeSpan.FromMilliseconds(2_500), "the first heartbeat's wait: interval x jitter");
        Assert.Empty(connection.Heartbeats);
        time.Advance(TimeSpan.FromMilliseconds(2_500));
        await Wait.UntilAsync(() => connection.Heartbeats.Count == 1, "the first heartbeat");
        // READY was sequence 1.
        Assert.Equal(1, connection.Heartbeats[0]);

        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000008001", "1300000000000000011", "status dev", direct: true));
        await gateway.KeptAsync(1, "the message");
        await time.WaitForTimerAsync(d => d == IntervalSpan, "the wait for the next heartbeat: one interval");
        time.Advance(IntervalSpan);
        await Wait.UntilAsync(() => connection.Heartbeats.Count == 2, "the second heartbeat");

        Assert.Equal(2, connection.Heartbeats[1]);
        Assert.Single(gateway.Peer.Connections);
        Assert.Empty(gateway.Peer.Violations);
    }

    [Fact]
    public async Task HeartbeatRequest_Op1_AnsweredAtOnceWithoutWaitingForTheInterval()
    {
        var time = new ObservedTimeProvider();
        var started = time.GetUtcNow();
        await using var gateway = await GatewayHarness.StartAsync(time, Timing(0.9), heartbeatMilliseconds: Interval);
        await gateway.InSessionAsync();

        await gateway.Peer.RequestHeartbeatAsync();

        await Wait.UntilAsync(() => gateway.Peer.Connections[0].Heartbeats.Count == 1, "the requested heartbeat");
        Assert.Equal(started, time.GetUtcNow());
        Assert.Equal(1, gateway.Peer.Connections[0].Heartbeats[0]);
    }

    [Fact]
    public async Task MissingHeartbeatAck_DropsTheZombieConnectionAndResumes()
    {
        var time = new ObservedTimeProvider();
        await using var gateway = await GatewayHarness.StartAsync(time, Timing(0.5), heartbeatMilliseconds: Interval,
            configurePeer: p => p.AcknowledgeHeartbeats = false);
        await gateway.InSessionAsync();
        var session = gateway.Peer.SessionId;

        await time.WaitForTimerAsync(d => d == IntervalSpan / 2, "the first heartbeat's wait");
        time.Advance(IntervalSpan / 2);
        await Wait.UntilAsync(() => gateway.Peer.Connections[0].Heartbeats.Count == 1, "the first heartbeat");
        await time.WaitForTimerAsync(d => d == IntervalSpan, "the wait for the next heartbeat");
        gateway.Peer.AcknowledgeHeartbeats = true;
        time.Advance(IntervalSpan);

        await gateway.InSessionAsync(2);
        var (_, code) = gateway.Peer.Connections[0].Ending;
        // Dropped without a close frame, or with any code but 1000 and 1001: either keeps the session.
        Assert.DoesNotContain(code, new int?[] { 1000, 1001 });
        Assert.Single(gateway.Peer.Connections[0].Heartbeats);
        Assert.Equal((session, 1L), gateway.Peer.Connections[1].Resumed);
        Assert.Equal(1, gateway.Peer.SessionsStarted);
        Assert.Empty(gateway.Peer.Violations);
    }

    [Fact]
    public async Task InvalidSession_WaitsBetweenOneAndFiveSecondsThenIdentifies()
    {
        var time = new ObservedTimeProvider();
        await using var gateway = await GatewayHarness.StartAsync(time, Timing(0.5), heartbeatMilliseconds: Interval);
        await gateway.InSessionAsync();

        await gateway.Peer.SendInvalidSessionAsync(resumable: false);

        // 1 s + 4 s x 0.5.
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(3), "the wait after Invalid Session");
        Assert.Single(gateway.Peer.Connections);
        time.Advance(TimeSpan.FromSeconds(3));
        await gateway.InSessionAsync(2);
        Assert.NotNull(gateway.Peer.Connections[1].Identify);
    }

    [Fact]
    public async Task ResumeUrlUnreachable_BacksOffDoublingThenStartsANewSessionOnTheFirstUrl()
    {
        var time = new ObservedTimeProvider();
        await using var gateway = await GatewayHarness.StartAsync(time, Timing(0.5), heartbeatMilliseconds: Interval);
        await gateway.InSessionAsync();
        gateway.Peer.AcceptConnections = false;

        gateway.Peer.Drop();

        // The first attempt is at once; each failure doubles the wait, starting from a second.
        foreach (var (wait, refused) in new[] { (1, 1), (2, 2), (4, 3) })
        {
            await Wait.UntilAsync(() => gateway.Peer.RefusedConnections == refused, $"attempt {refused}");
            await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(wait), $"a wait of {wait} s");
            if (refused == 3)
            {
                gateway.Peer.AcceptConnections = true;
            }

            time.Advance(TimeSpan.FromSeconds(wait));
        }

        await gateway.InSessionAsync(2);
        var fresh = gateway.Peer.Connections[1];
        Assert.Equal(gateway.Peer.GatewayUrl, fresh.Url);
        Assert.NotNull(fresh.Identify);
        Assert.Equal(2, gateway.Peer.SessionsStarted);
    }
}
