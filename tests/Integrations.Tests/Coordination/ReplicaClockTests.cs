using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Integrations.Tests.Coordination;

/// <summary>
/// Each replica compares its clock with the database server's at every heartbeat: more than half of
/// <c>Replicas:ClockTolerance</c> apart makes <c>/healthz</c>'s <c>replica-clock</c> degraded, saying by how much and which
/// way. A store on this machine (SQLite) shares its clock.
/// </summary>
public sealed class ReplicaClockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Heartbeat_ClockBehindThePostgresServer_DegradedSayingByHowMuch_UntilItIsSetRight()
    {
        var clock = new SkewedClock { Off = -TimeSpan.FromSeconds(3) };
        await using var harness = await ReplicaHarness.CreateAsync(StorageProvider.Postgres, clock);
        var replica = harness.Create("a");

        await replica.Heartbeat.RegisterAsync(Ct);
        var behind = await replica.ClockCheck.CheckHealthAsync(new HealthCheckContext(), Ct);
        clock.Off = TimeSpan.Zero;
        await replica.Heartbeat.BeatAsync(Ct);
        var setRight = await replica.ClockCheck.CheckHealthAsync(new HealthCheckContext(), Ct);

        Assert.Equal(HealthStatus.Degraded, behind.Status);
        Assert.Matches(@"^This replica's clock is 3\.\d s behind the database server's, more than half of Replicas:ClockTolerance \(500 ms\) allows", behind.Description);
        Assert.Equal(HealthStatus.Healthy, setRight.Status);
        Assert.Null(replica.ClockCheck.Problem);
    }

    [Fact]
    public async Task ClockOffsetAsync_ClockAheadOfThePostgresServer_MeasuredWithinTheRoundTrip()
    {
        await using var harness = await ReplicaHarness.CreateAsync(StorageProvider.Postgres, new SkewedClock { Off = TimeSpan.FromMinutes(2) });

        var offset = await harness.Replicas.ClockOffsetAsync(Ct);

        Assert.NotNull(offset);
        Assert.InRange(offset.Value.Offset.TotalSeconds, -121, -119);
        Assert.True(offset.Value.Exceeds(TimeSpan.FromSeconds(60)));
        Assert.StartsWith("2.0 s ahead of", new ClockOffset(TimeSpan.FromSeconds(-2), TimeSpan.Zero).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_OnSqlite_ClockNeverCompared_TheStoreSharesThisMachinesClock()
    {
        // The harness's clock is a fixed day, far from this machine's: SQLite has no clock of its own to disagree with.
        await using var harness = await ReplicaHarness.CreateAsync();
        var replica = harness.Create("a");

        await replica.Heartbeat.RegisterAsync(Ct);
        await replica.Heartbeat.BeatAsync(Ct);

        Assert.Null(await harness.Replicas.ClockOffsetAsync(Ct));
        Assert.Equal(HealthStatus.Healthy, (await replica.ClockCheck.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);
    }

    /// <summary>This machine's clock, set off by <see cref="Off"/>: a replica whose clock is wrong, as time really passes.</summary>
    private sealed class SkewedClock : TimeProvider
    {
        public TimeSpan Off { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Off;
    }
}
