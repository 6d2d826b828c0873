using ChatOps.Integrations.Coordination;

namespace ChatOps.Integrations.Tests.Coordination;

/// <summary>Liveness, takeover and fencing of schedule leases between replicas on one store, driven by a manual clock.</summary>
public sealed class ScheduleOwnershipTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HoldsAsync_TwoLiveReplicas_OnlyTheFirstRunsTheSchedule()
    {
        await using var harness = await ReplicaHarness.CreateAsync();
        var a = harness.Create("a");
        var b = harness.Create("b");
        await a.Heartbeat.RegisterAsync(Ct);
        await b.Heartbeat.RegisterAsync(Ct);

        Assert.True(await a.Ownership.HoldsAsync("pulse", Ct));
        Assert.False(await b.Ownership.HoldsAsync("pulse", Ct));

        // Long after the lease's own span, but with A beating: it stays A's.
        for (var i = 0; i < 30; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(2));
            await a.Heartbeat.BeatAsync(Ct);
            await b.Heartbeat.BeatAsync(Ct);
            Assert.False(await b.Ownership.HoldsAsync("pulse", Ct));
        }

        Assert.True(await a.Ownership.HoldsAsync("pulse", Ct));
    }

    [Fact]
    public async Task HoldsAsync_HolderStopsBeating_AnotherTakesOverWithinDeadAfterWithAGreaterToken()
    {
        await using var harness = await ReplicaHarness.CreateAsync();
        var a = harness.Create("a");
        var b = harness.Create("b");
        await a.Heartbeat.RegisterAsync(Ct);
        await b.Heartbeat.RegisterAsync(Ct);
        Assert.True(await a.Ownership.HoldsAsync("pulse", Ct));
        var first = a.Ownership.FenceOf("pulse")!;

        // A dies (no more beats); B beats on and asks at each of its ticks.
        var waited = TimeSpan.Zero;
        while (!await b.Ownership.HoldsAsync("pulse", Ct))
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            waited += TimeSpan.FromSeconds(1);
            await b.Heartbeat.BeatAsync(Ct);
            Assert.True(waited <= ReplicaHarness.Settings.DeadAfter, $"B had not taken the schedule {waited} after A's last beat.");
        }

        var second = b.Ownership.FenceOf("pulse")!;
        Assert.True(second.Token > first.Token);

        // A comes back from its pause: it has lost the schedule and skips its tick.
        Assert.False(await a.Ownership.HoldsAsync("pulse", Ct));
        Assert.Null(a.Ownership.FenceOf("pulse"));
    }

    [Fact]
    public async Task IsCurrentAsync_AfterTakeover_RefusesTheStaleHoldersFence()
    {
        await using var harness = await ReplicaHarness.CreateAsync();
        var a = harness.Create("a");
        var b = harness.Create("b");
        await a.Heartbeat.RegisterAsync(Ct);
        await b.Heartbeat.RegisterAsync(Ct);
        Assert.True(await a.Ownership.HoldsAsync("alert-tail:kibana", Ct));
        var stale = a.Ownership.FenceOf("alert-tail:kibana")!;
        Assert.True(await IsCurrentAsync(harness, stale));

        harness.Time.Advance(ReplicaHarness.Settings.DeadAfter + TimeSpan.FromSeconds(1));
        await b.Heartbeat.BeatAsync(Ct);
        Assert.True(await b.Ownership.HoldsAsync("alert-tail:kibana", Ct));

        Assert.False(await IsCurrentAsync(harness, stale));
        Assert.True(await IsCurrentAsync(harness, b.Ownership.FenceOf("alert-tail:kibana")!));
    }

    [Fact]
    public async Task StopAsync_CleanStop_LetsAnotherReplicaTakeTheScheduleAtOnce()
    {
        await using var harness = await ReplicaHarness.CreateAsync();
        var a = harness.Create("a");
        var b = harness.Create("b");
        await a.Heartbeat.StartAsync(Ct);
        await b.Heartbeat.RegisterAsync(Ct);
        Assert.True(await a.Ownership.HoldsAsync("pulse", Ct));
        Assert.False(await b.Ownership.HoldsAsync("pulse", Ct));

        await a.Heartbeat.StopAsync(Ct);

        Assert.True(await b.Ownership.HoldsAsync("pulse", Ct));
        Assert.DoesNotContain(await harness.Replicas.ListAsync(Ct), r => r.Name == "a");
    }

    [Fact]
    public async Task HoldsAsync_SchedulesAreIndependent()
    {
        await using var harness = await ReplicaHarness.CreateAsync();
        var a = harness.Create("a");
        var b = harness.Create("b");
        await a.Heartbeat.RegisterAsync(Ct);
        await b.Heartbeat.RegisterAsync(Ct);

        Assert.True(await a.Ownership.HoldsAsync("pulse", Ct));
        Assert.True(await b.Ownership.HoldsAsync("alert-rules", Ct));
        Assert.False(await a.Ownership.HoldsAsync("alert-rules", Ct));
    }

    private static Task<bool> IsCurrentAsync(ReplicaHarness harness, ScheduleFence fence) =>
        harness.Database.WriteAsync((c, t) => ScheduleLeaseStore.IsCurrentAsync(c, t, fence, Ct), Ct);
}
