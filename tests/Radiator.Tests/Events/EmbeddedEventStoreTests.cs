using ChatOps.Integrations.Storage;
using ChatOps.Radiator.Events;

namespace ChatOps.Radiator.Tests.Events;

public sealed class EmbeddedEventStoreTests
{
    [Fact]
    public async Task MeasureAsync_FromRollups_EqualsAggregationOverRawEvents()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(7);
        var start = t.Time.GetUtcNow().AddHours(-1);
        var events = Enumerable.Range(0, 5000)
            .Select(_ => new RadiatorEvent(start.AddMilliseconds(random.Next(0, 3_600_000)), "latency", Math.Round(random.NextDouble() * 500, 2)))
            .ToList();
        // Several batches, so roll-ups of one minute are merged across transactions.
        foreach (var batch in events.Chunk(700))
        {
            await t.Store.AppendAsync(batch, ct);
        }

        var windows = TimeWindow.Ending(t.Time.GetUtcNow(), TimeSpan.FromMinutes(5), 12);
        foreach (var aggregation in Enum.GetValues<KpiAggregation>())
        {
            var measured = await t.Source.MeasureAsync(new KpiQuery("latency", aggregation), windows, ct);
            var raw = await t.Store.ReadEventsAsync("latency", windows[0].From, windows[^1].To, ct);
            for (var i = 0; i < windows.Count; i++)
            {
                var inWindow = raw.Where(e => e.Timestamp >= windows[i].From && e.Timestamp < windows[i].To).Select(e => e.Value).ToList();
                var expected = Exact(aggregation, inWindow, windows[i].Length);
                Assert.Equal(inWindow.Count, measured[i].Count);
                if (aggregation == KpiAggregation.P95)
                {
                    // Read from bucket counts: within half a 4% bucket of the exact nearest rank.
                    Assert.InRange(measured[i].Value!.Value, expected * 0.97, expected * 1.03);
                }
                else
                {
                    Assert.Equal(expected, measured[i].Value!.Value, 6);
                }
            }
        }
    }

    [Fact]
    public async Task MeasureAsync_EmptyWindow_GivesZeroCountAndNoAverage()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var window = TimeWindow.Ending(t.Time.GetUtcNow(), TimeSpan.FromMinutes(5), 1)[0];

        var count = await t.Source.MeasureAsync(new KpiQuery("logins", KpiAggregation.Count), window, ct);
        var avg = await t.Source.MeasureAsync(new KpiQuery("logins", KpiAggregation.Avg), window, ct);

        Assert.Equal(0, count.Value);
        Assert.Null(count.Latest);
        Assert.Null(avg.Value);
    }

    [Fact]
    public async Task MeasureAsync_WindowNotOnAWholeMinute_IsRefused()
    {
        using var t = TestStore.Create();
        var window = new TimeWindow(t.Time.GetUtcNow().AddMinutes(-3).AddSeconds(-30), TimeSpan.FromMinutes(5));

        await Assert.ThrowsAsync<ArgumentException>(() => t.Source.MeasureAsync(new KpiQuery("logins", KpiAggregation.Count), window, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ApplyRetentionAsync_DeletesExpiredRawEventsButKeepsRollupsForLastWeek()
    {
        using var t = TestStore.Create(configure: o => o.EventRetention = TimeSpan.FromDays(1));
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        await t.Store.AppendAsync(
        [
            new RadiatorEvent(now.AddDays(-7), "logins"),
            new RadiatorEvent(now.AddDays(-7), "logins"),
            new RadiatorEvent(now.AddMinutes(-1), "logins"),
            new RadiatorEvent(now.AddDays(-40), "logins"),
        ], ct);

        var deleted = await t.Store.ApplyRetentionAsync(ct);

        Assert.Equal(2, deleted);
        Assert.Equal(1, await t.Store.CountEventsAsync(ct));
        var lastWeek = TimeWindow.Ending(now.AddDays(-7).AddMinutes(1), TimeSpan.FromMinutes(1), 1)[0];
        Assert.Equal(2, (await t.Source.MeasureAsync(new KpiQuery("logins", KpiAggregation.Count), lastWeek, ct)).Value);
    }

    [Fact]
    public async Task ApplyRetentionAsync_DeletesRollupsPastTheirRetention()
    {
        using var t = TestStore.Create(configure: o => o.RollupRetention = TimeSpan.FromDays(10));
        var ct = TestContext.Current.CancellationToken;
        var then = t.Time.GetUtcNow().AddDays(-9);
        await t.Store.AppendAsync([new RadiatorEvent(then, "logins")], ct);
        var window = TimeWindow.Ending(then.AddMinutes(1), TimeSpan.FromMinutes(1), 1)[0];

        t.Time.Advance(TimeSpan.FromDays(2));
        await t.Store.ApplyRetentionAsync(ct);

        Assert.Equal(0, (await t.Source.MeasureAsync(new KpiQuery("logins", KpiAggregation.Count), window, ct)).Count);
    }

    [Fact]
    public async Task MeasureAsync_DataFromPartWayThroughTheWindow_GivesItsFirstMinute()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var window = TimeWindow.Ending(t.Time.GetUtcNow(), TimeSpan.FromMinutes(5), 1)[0];
        await t.Store.AppendAsync([new RadiatorEvent(window.From.AddMinutes(3).AddSeconds(20), "logins"), new RadiatorEvent(window.From.AddMinutes(4), "logins")], ct);

        var measured = await t.Source.MeasureAsync(new KpiQuery("logins", KpiAggregation.Count), window, ct);

        Assert.Equal(window.From.AddMinutes(3), measured.FirstMinute);
    }

    [Fact]
    public async Task AppendAsync_EventWithAnIdStoredBefore_IsSkippedAndCountedOnce()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var at = t.Time.GetUtcNow().AddMinutes(-2);
        RadiatorEvent[] batch = [new(at, "logins") { Id = "a" }, new(at, "logins") { Id = "b" }, new(at, "logins")];

        var first = await t.Store.AppendAsync(batch, ct);
        var again = await t.Store.AppendAsync(batch, ct);

        // The event without an id cannot be recognised, so it counts again; the two with ids do not.
        Assert.Equal((3, 1), (first, again));
        Assert.Equal(4, await t.Store.CountEventsAsync(ct));
        var window = TimeWindow.Ending(at.AddMinutes(1), TimeSpan.FromMinutes(1), 1)[0];
        Assert.Equal(4, (await t.Source.MeasureAsync(new KpiQuery("logins", KpiAggregation.Count), window, ct)).Value);
    }

    [Fact]
    public async Task ApplyRetentionAsync_IdsOutlivingTheirRollups_AreForgotten()
    {
        using var t = TestStore.Create(configure: o => o.RollupRetention = TimeSpan.FromDays(10));
        var ct = TestContext.Current.CancellationToken;
        var then = t.Time.GetUtcNow().AddDays(-9);
        await t.Store.AppendAsync([new RadiatorEvent(then, "logins") { Id = "old" }], ct);

        t.Time.Advance(TimeSpan.FromDays(2));
        await t.Store.ApplyRetentionAsync(ct);

        var ids = await t.Database.ReadAsync(c => c.ScalarAsync("SELECT COUNT(*) FROM radiator_event_ids", null, ct), ct);
        Assert.Equal(0L, ids);
    }

    internal static double Exact(KpiAggregation aggregation, List<double> values, TimeSpan length) => aggregation switch
    {
        KpiAggregation.Count => values.Count,
        KpiAggregation.Sum => values.Sum(),
        KpiAggregation.Rate => values.Sum() / length.TotalSeconds,
        KpiAggregation.Avg => values.Average(),
        KpiAggregation.P95 => values.Order().ElementAt(Math.Max(1, (int)Math.Ceiling(0.95 * values.Count)) - 1),
        _ => throw new ArgumentOutOfRangeException(nameof(aggregation)),
    };
}
