using ChatOps.Integrations.Elasticsearch;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Events;

/// <summary>
/// Measures KPIs in Elasticsearch with one size-0 search per call, however many windows: a
/// date histogram whose buckets are the windows (fixed intervals of their length, shifted by the
/// windows' offset from the epoch), restricted to the windows' time ranges. No documents are downloaded.
/// </summary>
internal sealed class ElasticsearchEventSource(IElasticsearchClient client, IOptions<RadiatorOptions> options) : IEventSource
{
    internal const string WindowsName = "windows";
    internal const string ValueName = "value";
    internal const string LatestName = "latest";
    internal const string EarliestName = "earliest";

    public string Name => "elasticsearch";

    public async Task<IReadOnlyList<Measurement>> MeasureAsync(KpiQuery query, IReadOnlyList<TimeWindow> windows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        EventSourceExtensions.Validate(windows);
        var o = options.Value;
        var length = windows[0].Length;
        var subAggregations = new Dictionary<string, Aggregation>
        {
            [LatestName] = Aggregation.Max(o.TimestampField),
            [EarliestName] = Aggregation.Min(o.TimestampField),
        };
        switch (query.Aggregation)
        {
            case KpiAggregation.Sum or KpiAggregation.Rate:
                subAggregations[ValueName] = Aggregation.Sum(o.ValueField);
                break;
            case KpiAggregation.Avg:
                subAggregations[ValueName] = Aggregation.Avg(o.ValueField);
                break;
            case KpiAggregation.P95:
                subAggregations[ValueName] = Aggregation.Percentiles(o.ValueField, 95);
                break;
            default:
                break;
        }

        Query match = query.Query is { Length: > 0 } text ? Query.QueryString(text) : Query.Term(o.KeyField, query.Key);
        var response = await client.SearchAsync(SearchRequest.For(o.EventIndex) with
        {
            Size = 0,
            TrackTotalHits = false, // Bucket counts are exact; the total is not needed.
            Query = Query.Bool() with
            {
                Filter = [match],
                Should = [.. Merge(windows).Select(r => Query.TimeRange(o.TimestampField, r.From, r.To))],
                MinimumShouldMatch = 1,
            },
            Aggregations = new Dictionary<string, Aggregation>
            {
                [WindowsName] = Aggregation.DateHistogram(o.TimestampField, length) with
                {
                    Offset = windows[0].Offset,
                    Aggregations = subAggregations,
                },
            },
        }, cancellationToken);

        var buckets = response.Aggregations.Contains(WindowsName)
            ? response.Aggregations.DateHistogram(WindowsName).ToDictionary(b => b.Key)
            : [];
        return [.. windows.Select(window => Read(query.Aggregation, window, buckets.GetValueOrDefault(window.From)))];
    }

    private static Measurement Read(KpiAggregation aggregation, TimeWindow window, DateHistogramBucket? bucket)
    {
        var count = bucket?.DocCount ?? 0;
        if (bucket is null || count == 0)
        {
            double? none = aggregation is KpiAggregation.Count or KpiAggregation.Sum or KpiAggregation.Rate ? 0 : null;
            return new Measurement(window, 0, none, null);
        }

        var a = bucket.Aggregations;
        double? value = aggregation switch
        {
            KpiAggregation.Count => count,
            KpiAggregation.Sum => a.Value(ValueName) ?? 0,
            KpiAggregation.Rate => (a.Value(ValueName) ?? 0) / window.Length.TotalSeconds,
            KpiAggregation.Avg => a.Value(ValueName),
            KpiAggregation.P95 => a.Percentiles(ValueName)[95],
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown aggregation."),
        };
        var latest = a.Value(LatestName) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : (DateTimeOffset?)null;
        // Floored to the minute, as the embedded store keeps it, so both sources give the same answer.
        var firstMinute = a.Value(EarliestName) is { } first ? DateTimeOffset.FromUnixTimeMilliseconds(MinuteRollup.MinuteOf(DateTimeOffset.FromUnixTimeMilliseconds((long)first)) * 60_000) : (DateTimeOffset?)null;
        return new Measurement(window, count, value, latest, firstMinute);
    }

    private static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Merge(IReadOnlyList<TimeWindow> windows)
    {
        var ordered = windows.OrderBy(w => w.From).ToList();
        var (from, to) = (ordered[0].From, ordered[0].To);
        foreach (var window in ordered.Skip(1))
        {
            if (window.From <= to)
            {
                to = window.To > to ? window.To : to;
                continue;
            }

            yield return (from, to);
            (from, to) = (window.From, window.To);
        }

        yield return (from, to);
    }
}
