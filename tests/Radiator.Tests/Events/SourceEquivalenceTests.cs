using ChatOps.Radiator.Events;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Tests.Events;

/// <summary>One query model, two sources: the same KPI code gives the same answers on the same data.</summary>
public sealed class SourceEquivalenceTests
{
    [Theory]
    [InlineData(0)] // windows on multiples of their length
    [InlineData(187)] // the windows before a "now" that is not: shifted by an offset
    public async Task MeasureAsync_SameEvents_EmbeddedAndElasticsearchAgree(int secondsPastTheHour)
    {
        using var t = TestStore.Create(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero).AddSeconds(secondsPastTheHour));
        await using var peer = await ElasticsearchPeer.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        var random = new Random(11);
        var events = new List<RadiatorEvent>();
        foreach (var offset in new[] { TimeSpan.Zero, TimeSpan.FromDays(7) })
        {
            events.AddRange(Enumerable.Range(0, 3000).Select(_ => new RadiatorEvent(now - offset - TimeSpan.FromMilliseconds(random.Next(1, 3_600_000)), "latency", random.Next(20, 900))));
            events.AddRange(Enumerable.Range(0, 800).Select(_ => new RadiatorEvent(now - offset - TimeSpan.FromMilliseconds(random.Next(1, 3_600_000)), "logins")));
        }

        await t.Store.AppendAsync(events, ct);
        peer.Add(events);
        var elasticsearch = new ElasticsearchEventSource(peer.CreateClient(t.Time), Options.Create(new RadiatorOptions()));
        var recent = TimeWindow.Before(now, TimeSpan.FromMinutes(5), 12);
        Assert.Equal(TimeSpan.FromSeconds(secondsPastTheHour / 60 * 60), recent[^1].Offset);
        IReadOnlyList<TimeWindow> windows = [.. recent, new TimeWindow(recent[^1].From.AddDays(-7), recent[^1].Length)];

        foreach (var key in new[] { "latency", "logins" })
        {
            foreach (var aggregation in Enum.GetValues<KpiAggregation>())
            {
                var query = new KpiQuery(key, aggregation);
                var embedded = await t.Source.MeasureAsync(query, windows, ct);
                var remote = await elasticsearch.MeasureAsync(query, windows, ct);
                for (var i = 0; i < windows.Count; i++)
                {
                    Assert.Equal(remote[i].Count, embedded[i].Count);
                    Assert.True(remote[i].Count > 0, "every window holds data, so the comparison means something");
                    Assert.Equal(remote[i].Latest, embedded[i].Latest);
                    Assert.Equal(remote[i].FirstMinute, embedded[i].FirstMinute);
                    if (aggregation == KpiAggregation.P95)
                    {
                        // Both are estimates of the same rank: histogram buckets here, interpolation there.
                        Assert.InRange(embedded[i].Value!.Value, remote[i].Value!.Value * 0.96, remote[i].Value!.Value * 1.04);
                    }
                    else
                    {
                        Assert.Equal(remote[i].Value!.Value, embedded[i].Value!.Value, 6);
                    }
                }
            }
        }

        Assert.Equal(Enum.GetValues<KpiAggregation>().Length * 2, peer.Searches); // one search per measurement, however many windows
        Assert.Empty(peer.ContractErrors);
    }

    [Fact]
    public async Task MeasureAsync_EmptyWindowsOnBothSources_AgreeOnZeroAndNull()
    {
        using var t = TestStore.Create();
        await using var peer = await ElasticsearchPeer.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var elasticsearch = new ElasticsearchEventSource(peer.CreateClient(t.Time), Options.Create(new RadiatorOptions()));
        var windows = TimeWindow.Ending(t.Time.GetUtcNow(), TimeSpan.FromMinutes(5), 2);

        foreach (var aggregation in Enum.GetValues<KpiAggregation>())
        {
            var embedded = await t.Source.MeasureAsync(new KpiQuery("logins", aggregation), windows, ct);
            var remote = await elasticsearch.MeasureAsync(new KpiQuery("logins", aggregation), windows, ct);
            Assert.Equal(remote, embedded);
        }
    }
}
