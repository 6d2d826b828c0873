namespace ChatOps.Radiator.Events;

/// <summary>Measures KPIs from the embedded store's per-minute roll-ups only, never from raw events.</summary>
internal sealed class EmbeddedEventSource(EmbeddedEventStore store) : IEventSource
{
    public string Name => "embedded";

    public async Task<IReadOnlyList<Measurement>> MeasureAsync(KpiQuery query, IReadOnlyList<TimeWindow> windows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        EventSourceExtensions.Validate(windows);
        var results = new Measurement[windows.Count];
        // Contiguous windows are read with one range query: a pulse reads two ranges (recent and last week).
        foreach (var range in ContiguousRanges(windows))
        {
            var rollups = await store.ReadRollupsAsync(query.Key, MinuteRollup.MinuteOf(windows[range.Start].From), MinuteRollup.MinuteOf(windows[range.End - 1].To),
                withHistograms: query.Aggregation == KpiAggregation.P95, cancellationToken);
            for (var i = range.Start; i < range.End; i++)
            {
                var from = MinuteRollup.MinuteOf(windows[i].From);
                var to = MinuteRollup.MinuteOf(windows[i].To);
                results[i] = Combine(query.Aggregation, windows[i], rollups.Where(r => r.Minute >= from && r.Minute < to));
            }
        }

        return results;
    }

    internal static Measurement Combine(KpiAggregation aggregation, TimeWindow window, IEnumerable<MinuteRollup> rollups)
    {
        var total = new MinuteRollup(string.Empty, 0);
        long? firstMinute = null;
        foreach (var rollup in rollups)
        {
            total.Merge(rollup);
            if (rollup.Count > 0 && (firstMinute is null || rollup.Minute < firstMinute))
            {
                firstMinute = rollup.Minute;
            }
        }

        var empty = total.Count == 0;
        double? value = aggregation switch
        {
            KpiAggregation.Count => total.Count,
            KpiAggregation.Sum => total.Sum,
            KpiAggregation.Rate => total.Sum / window.Length.TotalSeconds,
            KpiAggregation.Avg => empty ? null : total.Sum / total.Count,
            KpiAggregation.P95 => total.Histogram.Percentile(95, total.Min, total.Max),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown aggregation."),
        };
        return new Measurement(window, total.Count, value, empty ? null : DateTimeOffset.FromUnixTimeMilliseconds(total.Latest),
            firstMinute is { } minute ? DateTimeOffset.FromUnixTimeMilliseconds(minute * 60_000) : null);
    }

    private static IEnumerable<Range> ContiguousRanges(IReadOnlyList<TimeWindow> windows)
    {
        var start = 0;
        for (var i = 1; i <= windows.Count; i++)
        {
            if (i == windows.Count || windows[i].From != windows[i - 1].To)
            {
                yield return new Range(start, i);
                start = i;
            }
        }
    }

    private readonly record struct Range(int Start, int End);
}
