namespace ChatOps.Integrations.Elasticsearch;

internal enum MetricKind
{
    /// <summary>Documents in the window.</summary>
    Count,
    Sum,
    Average,
    Minimum,
    Maximum,

    /// <summary>The <see cref="MetricQuery.Percentile"/> of <see cref="MetricQuery.Field"/>.</summary>
    Percentile,

    /// <summary>Approximate distinct values of <see cref="MetricQuery.Field"/>.</summary>
    Distinct,
}

/// <summary>One number over [<see cref="From"/>, <see cref="To"/>): what a KPI in the pulse needs.</summary>
internal sealed record MetricQuery(IReadOnlyList<string> Indices, string TimestampField, DateTimeOffset From, DateTimeOffset To, MetricKind Kind)
{
    /// <summary>The measured field; not needed for <see cref="MetricKind.Count"/>.</summary>
    public string? Field { get; init; }

    public Query? Filter { get; init; }

    /// <value>Default: 95.</value>
    public double Percentile { get; init; } = 95;
}

/// <param name="Value">The number; null when the window held no values (say "no data", not 0).</param>
/// <param name="DocCount">Documents in the window.</param>
/// <param name="Latest">The newest timestamp in the window: far behind <c>To</c> means ingestion lags.</param>
/// <param name="IsPartial">Shards failed or timed out: the number may be low.</param>
internal sealed record MetricValue(double? Value, long DocCount, DateTimeOffset? Latest, bool IsPartial);

internal static class ElasticsearchMetricsExtensions
{
    private const string ValueName = "value";
    private const string LatestName = "latest";

    /// <summary>Computes the metric in the cluster with one size-0 search; no documents are downloaded.</summary>
    public static async Task<MetricValue> MeasureAsync(this IElasticsearchClient client, MetricQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(query);
        if (query.To <= query.From)
        {
            throw new ArgumentException("The window must end after it starts.", nameof(query));
        }

        var aggregations = new Dictionary<string, Aggregation> { [LatestName] = Aggregation.Max(query.TimestampField) };
        if (query.Kind != MetricKind.Count)
        {
            var field = query.Field ?? throw new ArgumentException($"A {query.Kind} metric needs a Field.", nameof(query));
            aggregations[ValueName] = query.Kind switch
            {
                MetricKind.Sum => Aggregation.Sum(field),
                MetricKind.Average => Aggregation.Avg(field),
                MetricKind.Minimum => Aggregation.Min(field),
                MetricKind.Maximum => Aggregation.Max(field),
                MetricKind.Percentile => Aggregation.Percentiles(field, query.Percentile),
                MetricKind.Distinct => Aggregation.Cardinality(field),
                _ => throw new ArgumentOutOfRangeException(nameof(query), query.Kind, "Unknown metric kind."),
            };
        }

        var filters = new List<Query> { Query.TimeRange(query.TimestampField, query.From, query.To) };
        if (query.Filter is { } filter)
        {
            filters.Add(filter);
        }

        var response = await client.SearchAsync(SearchRequest.For(query.Indices) with
        {
            Size = 0,
            TrackTotalHits = true, // The count must be exact, not capped at 10,000.
            Query = Query.Bool() with { Filter = filters },
            Aggregations = aggregations,
        }, cancellationToken);

        var count = response.Hits?.Total?.Value ?? 0;
        var value = query.Kind switch
        {
            MetricKind.Count => count,
            MetricKind.Percentile => response.Aggregations.Percentiles(ValueName)[query.Percentile],
            MetricKind.Distinct => response.Aggregations.Count(ValueName),
            _ => response.Aggregations.Value(ValueName),
        };
        var latest = response.Aggregations.Value(LatestName) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : (DateTimeOffset?)null;
        return new MetricValue(value, count, latest, response.IsPartial);
    }
}
