using ChatOps.Integrations.Storage;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>
/// What the store keeps beside each alert so that a storm costs the same per alert however large it grows: each group's
/// counts, and each alert's next due moment, which is all the tick reads.
/// </summary>
public sealed class AlertBookkeepingTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task GroupCounts_AfterFiringsAcknowledgementsResolvesRefiringsAndASilence_MatchTheRows()
    {
        await using var kit = await AlertKit.StartAsync();
        var ids = new List<long>();
        for (var i = 1; i <= 4; i++)
        {
            ids.Add((await kit.Service.ReceiveAsync(AlertKit.Signal($"disk-{i}"), Ct)).Alert.Id);
        }

        await kit.Service.AcknowledgeAsync(ids[0], "Alice", Ct);
        await kit.Service.ResolveAsync(ids[1], "Alice", Ct);
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-3", firing: false), Ct);
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-3"), Ct); // fires again: counted again
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-6", environment: "dev"), Ct); // another group
        await kit.Service.MuteAsync("alertname=DiskFull", TimeSpan.FromHours(1), "Carol", Ct); // muting what is open changes no count
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-5"), Ct); // held back by the mute: not posted, not counted

        var group = await kit.Store.GroupAsync("alertname=DiskFull, environment=prod", Ct);

        Assert.Equal((3, 2), (group.OpenCount, group.FiringCount)); // disk-1 acknowledged, disk-3 and disk-4 firing
        Assert.Equal(await RecountAsync(kit, "alertname=DiskFull, environment=prod"), (group.OpenCount, group.FiringCount));
        Assert.Equal((1, 1), await RecountAsync(kit, "alertname=DiskFull, environment=dev"));
        var other = await kit.Store.GroupAsync("alertname=DiskFull, environment=dev", Ct);
        Assert.Equal((1, 1), (other.OpenCount, other.FiringCount));
    }

    [Fact]
    public async Task GroupCounts_OfADatabaseFromBeforeTheyWereKept_AreCountedFromTheRowsWhenMigrated()
    {
        await using var kit = await AlertKit.StartAsync();
        var first = (await kit.Service.ReceiveAsync(AlertKit.Signal("disk-1"), Ct)).Alert;
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-2"), Ct);
        await kit.Service.AcknowledgeAsync(first.Id, "Alice", Ct);
        var migration = new AlertSchema().Migrations.Single(m => m.Name == "alert group counts");

        await kit.Database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM radiator_alert_group_counts", t, Ct);
            var backfill = migration.Statements[^1];
            return await c.ExecuteAsync(kit.Database.Provider == "Postgres" ? backfill.Postgres! : backfill.Sqlite, t, Ct);
        }, Ct);

        var group = await kit.Store.GroupAsync("alertname=DiskFull, environment=prod", Ct);
        Assert.Equal((2, 1), (group.OpenCount, group.FiringCount));
    }

    [Fact]
    public async Task DueAlerts_AreThoseWhoseEscalationOrAcknowledgementExpiryHasCome_AndNoOthers()
    {
        await using var kit = await AlertKit.StartAsync(o =>
        {
            o.AcknowledgementExpiry = TimeSpan.FromHours(1);
            o.Routes.Add(new AlertRouteOptions
            {
                Match = new Dictionary<string, string> { ["environment"] = "prod" },
                Escalation = [new EscalationStepOptions { Wait = TimeSpan.FromMinutes(5), Notify = "carol" }],
            });
        });
        var escalating = (await kit.Service.ReceiveAsync(AlertKit.Signal("disk-1"), Ct)).Alert;
        var acknowledged = (await kit.Service.ReceiveAsync(AlertKit.Signal("disk-2"), Ct)).Alert;
        await kit.Service.AcknowledgeAsync(acknowledged.Id, "Alice", Ct);
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-3", environment: "dev"), Ct); // no route: never due

        Assert.Empty(await DueAsync(kit, TimeSpan.FromMinutes(4)));
        Assert.Equal([escalating.Id], await DueAsync(kit, TimeSpan.FromMinutes(5)));

        kit.Time.Advance(TimeSpan.FromMinutes(5));
        await kit.Service.TickAsync(Ct);
        Assert.Single(await kit.RepliesAsync("alert:disk-1:fired-1:webchat:alerts"), r => r.Contains("📟 @carol"));
        Assert.Empty(await DueAsync(kit, TimeSpan.FromMinutes(54))); // its one step is taken: nothing more is due

        Assert.Equal([acknowledged.Id], await DueAsync(kit, TimeSpan.FromMinutes(55)));
        kit.Time.Advance(TimeSpan.FromMinutes(55));
        await kit.Service.TickAsync(Ct);
        Assert.Equal(AlertStatus.Firing, (await kit.Service.GetAsync(acknowledged.Id, Ct))!.Status);
    }

    [Fact]
    public async Task DueTimes_MissingFromOlderRows_AreComputedAtStartAndTheTickThenEscalates()
    {
        await using var kit = await AlertKit.StartAsync(o =>
            o.Routes.Add(new AlertRouteOptions { Escalation = [new EscalationStepOptions { Wait = TimeSpan.FromMinutes(5), Notify = "carol" }] }));
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-1"), Ct);
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-2", firing: false), Ct); // resolved: nothing ever due
        await kit.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE radiator_alerts SET due_at = NULL", t, Ct), Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await DueAsync(kit, TimeSpan.Zero));

        Assert.Equal(1, await kit.Store.RefreshTimesAsync(Ct));
        Assert.Equal(0, await kit.Store.RefreshTimesAsync(Ct));
        await kit.Service.TickAsync(Ct);

        Assert.Single(await kit.RepliesAsync("alert:disk-1:fired-1:webchat:alerts"), r => r.Contains("📟 @carol"));
    }

    [Fact]
    public async Task Census_CountsOpenAlertsByStatusAndFindsTheOldestFiringStart_AlsoForRowsFromBeforeStartsWereKept()
    {
        await using var kit = await AlertKit.StartAsync();
        var start = kit.Time.GetUtcNow();
        var oldest = (await kit.Service.ReceiveAsync(AlertKit.Signal("disk-1") with { StartsAt = start.AddHours(-3) }, Ct)).Alert;
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-2") with { StartsAt = start.AddHours(-2) }, Ct);
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-3") with { StartsAt = start.AddHours(-1) }, Ct);
        await kit.Service.ReceiveAsync(AlertKit.Signal("disk-4", firing: false), Ct);

        await kit.Service.AcknowledgeAsync(oldest.Id, "Alice", Ct); // the oldest firing is now disk-2
        Assert.Equal(new AlertCensus(2, 1, start.AddHours(-2)), await kit.Store.CensusAsync(Ct));

        await kit.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE radiator_alerts SET starts_at = NULL", t, Ct), Ct);
        Assert.Equal(new AlertCensus(2, 1, null), await kit.Store.CensusAsync(Ct));
        Assert.Equal(3, await kit.Store.RefreshTimesAsync(Ct));
        Assert.Equal(new AlertCensus(2, 1, start.AddHours(-2)), await kit.Store.CensusAsync(Ct));
    }

    private static async Task<List<long>> DueAsync(AlertKit kit, TimeSpan after) =>
        [.. (await kit.Store.DueAsync(kit.Time.GetUtcNow() + after, Ct)).Select(a => a.Id)];

    /// <summary>A group's open, posted members counted from the rows, as the store counted them before it kept counts.</summary>
    private static Task<(int Open, int Firing)> RecountAsync(AlertKit kit, string group) =>
        kit.Database.ReadAsync(async c =>
        {
            var counts = await c.QueryAsync(
                $"SELECT status, COUNT(*) FROM radiator_alerts WHERE {AlertStore.Group(kit.Database.JsonText)} = @g AND {AlertStore.OpenAndPosted(kit.Database.JsonText)} GROUP BY status",
                null, r => (Status: r.GetString(0), Count: (int)r.GetInt64(1)), Ct, ("@g", group));
            return (counts.Sum(x => x.Count), counts.Where(x => x.Status == "firing").Sum(x => x.Count));
        }, Ct);
}
