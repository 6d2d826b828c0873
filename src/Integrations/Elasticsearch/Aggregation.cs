using System.Text.Json;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// The aggregations a KPI needs (count, sum, average, percentiles over a window, per bucket), so the
/// numbers are computed in the cluster and documents are never downloaded.
/// </summary>
public abstract record Aggregation
{
    /// <summary>The JSON name of the aggregation type, e.g. <c>date_histogram</c>.</summary>
    internal abstract string Type { get; }

    internal abstract void WriteBody(Utf8JsonWriter writer);

    internal virtual IReadOnlyDictionary<string, Aggregation>? SubAggregations => null;

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Type);
        writer.WriteStartObject();
        WriteBody(writer);
        writer.WriteEndObject();
        if (SubAggregations is { Count: > 0 } subs)
        {
            WriteAll(writer, subs);
        }

        writer.WriteEndObject();
    }

    internal static void WriteAll(Utf8JsonWriter writer, IReadOnlyDictionary<string, Aggregation> aggregations)
    {
        writer.WriteStartObject("aggregations");
        foreach (var (name, aggregation) in aggregations)
        {
            writer.WritePropertyName(name);
            aggregation.Write(writer);
        }

        writer.WriteEndObject();
    }

    public static MetricAggregation Avg(string field) => new("avg", field);

    public static MetricAggregation Sum(string field) => new("sum", field);

    public static MetricAggregation Min(string field) => new("min", field);

    public static MetricAggregation Max(string field) => new("max", field);

    public static MetricAggregation ValueCount(string field) => new("value_count", field);

    public static MetricAggregation Cardinality(string field) => new("cardinality", field);

    public static PercentilesAggregation Percentiles(string field, params IEnumerable<double> percents) => new(field, [.. percents]);

    public static TermsAggregation Terms(string field, int size = 10) => new(field, size);

    public static DateHistogramAggregation DateHistogram(string field, TimeSpan fixedInterval) => new(field, fixedInterval);
}

/// <summary>A single-value metric: <c>avg</c>, <c>sum</c>, <c>min</c>, <c>max</c>, <c>value_count</c> or <c>cardinality</c>.</summary>
public sealed record MetricAggregation(string Kind, string Field) : Aggregation
{
    internal override string Type => Kind;

    internal override void WriteBody(Utf8JsonWriter writer) => writer.WriteString("field", Field);
}

public sealed record PercentilesAggregation(string Field, IReadOnlyList<double> Percents) : Aggregation
{
    internal override string Type => "percentiles";

    internal override void WriteBody(Utf8JsonWriter writer)
    {
        writer.WriteString("field", Field);
        if (Percents.Count > 0)
        {
            writer.WriteStartArray("percents");
            foreach (var percent in Percents)
            {
                writer.WriteNumberValue(percent);
            }

            writer.WriteEndArray();
        }
    }
}

public sealed record TermsAggregation(string Field, int Size) : Aggregation
{
    public IReadOnlyDictionary<string, Aggregation> Aggregations { get; init; } = new Dictionary<string, Aggregation>();

    internal override string Type => "terms";

    internal override IReadOnlyDictionary<string, Aggregation> SubAggregations => Aggregations;

    internal override void WriteBody(Utf8JsonWriter writer)
    {
        writer.WriteString("field", Field);
        writer.WriteNumber("size", Size);
    }
}

public sealed record DateHistogramAggregation(string Field, TimeSpan FixedInterval) : Aggregation
{
    /// <summary>Zero returns empty buckets too, so a quiet minute shows as 0 rather than missing.</summary>
    public long? MinDocCount { get; init; }

    /// <summary>Forces buckets to span this whole range even where there are no documents.</summary>
    public (DateTimeOffset Min, DateTimeOffset Max)? ExtendedBounds { get; init; }

    /// <summary>Shifts the buckets from the epoch-aligned ones (buckets that end "now" rather than on a round time). Zero: none.</summary>
    public TimeSpan Offset { get; init; }

    public IReadOnlyDictionary<string, Aggregation> Aggregations { get; init; } = new Dictionary<string, Aggregation>();

    internal override string Type => "date_histogram";

    internal override IReadOnlyDictionary<string, Aggregation> SubAggregations => Aggregations;

    internal override void WriteBody(Utf8JsonWriter writer)
    {
        writer.WriteString("field", Field);
        writer.WriteString("fixed_interval", Duration.Format(FixedInterval));
        if (Offset > TimeSpan.Zero)
        {
            writer.WriteString("offset", Duration.Format(Offset));
        }
        if (MinDocCount is { } minDocCount)
        {
            writer.WriteNumber("min_doc_count", minDocCount);
        }

        if (ExtendedBounds is { } bounds)
        {
            // Epoch milliseconds need no format agreement with the field's mapping.
            writer.WriteStartObject("extended_bounds");
            writer.WriteNumber("min", bounds.Min.ToUnixTimeMilliseconds());
            writer.WriteNumber("max", bounds.Max.ToUnixTimeMilliseconds());
            writer.WriteEndObject();
        }
    }
}
