using ChatOps.Integrations.Coordination;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>
/// An alert tail's cursor is written under its schedule lease: once another replica took the tail over, the replica
/// that lost it cannot move the cursor back (the new holder would apply old alert documents again).
/// </summary>
public sealed class AlertCursorFenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveCursorAsync_FenceOfTheReplicaThatLostTheTail_ChangesNothing()
    {
        await using var kit = await AlertKit.StartAsync();
        var other = new ScheduleOwnership(new ScheduleLeaseStore(kit.Database), new ReplicaIdentity("other-replica", TimeSpan.FromSeconds(10)), kit.Time,
            NullLogger<ScheduleOwnership>.Instance);
        Assert.True(await kit.Ownership.HoldsAsync("alert-tail:kibana", Ct));
        var stale = kit.Ownership.FenceOf("alert-tail:kibana");
        Assert.True(await kit.Store.SaveCursorAsync("es:kibana", "old", stale, Ct));

        // The holder falls silent past its lease; the other replica takes the tail and moves on.
        kit.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.True(await other.HoldsAsync("alert-tail:kibana", Ct));
        Assert.True(await kit.Store.SaveCursorAsync("es:kibana", "new", other.FenceOf("alert-tail:kibana"), Ct));

        Assert.False(await kit.Store.SaveCursorAsync("es:kibana", "old-again", stale, Ct));
        Assert.Equal("new", await kit.Store.CursorAsync("es:kibana", Ct));
    }
}
