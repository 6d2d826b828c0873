using System.Globalization;
using System.Text.Json;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// The <c>aggregations</c> of a response, read by the name and kind the request gave them. Parsing is
/// lenient where Elasticsearch varies: keyed or array buckets, <c>null</c> metrics on empty windows,
/// percentile keys such as <c>"95.0"</c>, numbers sent as strings.
/// </summary>
public sealed class AggregationResults
{
    private readonly JsonElement _root;

    internal AggregationResults(JsonElement? root) => _root = root is { ValueKind: JsonValueKind.Object } r ? r.Clone() : default;

    public static AggregationResults Empty { get; } = new(null);

    public bool Contains(string name) => _root.ValueKind == JsonValueKind.Object && _root.TryGetProperty(name, out _);

    /// <summary>A single-value metric (avg, sum, min, max): null when the window held no values.</summary>
    public double? Value(string name) => ReadDouble(Get(name), "value");

    /// <summary>A count-like metric (value_count, cardinality): zero when the window held nothing.</summary>
    public long Count(string name) => (long)(ReadDouble(Get(name), "value") ?? 0);

    public PercentilesResult Percentiles(string name)
    {
        var values = new SortedDictionary<double, double?>();
        if (Get(name).TryGetProperty("values", out var raw))
        {
            if (raw.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in raw.EnumerateObject())
                {
                    // "95.0_as_string" entries repeat the value formatted; only numeric keys count.
                    if (double.TryParse(entry.Name, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
                    {
                        values[percent] = AsDouble(entry.Value);
                    }
                }
            }
            else if (raw.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in raw.EnumerateArray())
                {
                    if (ReadDouble(entry, "key") is { } percent)
                    {
                        values[percent] = ReadDouble(entry, "value");
                    }
                }
            }
        }

        return new PercentilesResult(values);
    }

    public IReadOnlyList<DateHistogramBucket> DateHistogram(string name) =>
        [.. Buckets(Get(name)).Select(b => new DateHistogramBucket(
            DateTimeOffset.FromUnixTimeMilliseconds((long)(ReadDouble(b.Bucket, "key") ?? throw Malformed(name, "a bucket has no key"))),
            DocCount(b.Bucket),
            new AggregationResults(b.Bucket)))];

    public TermsResult Terms(string name)
    {
        var aggregation = Get(name);
        var buckets = Buckets(aggregation).Select(b => new TermsBucket(
            b.Bucket.TryGetProperty("key_as_string", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()!
                : b.Bucket.TryGetProperty("key", out var key) ? KeyText(key) : b.Key ?? throw Malformed(name, "a bucket has no key"),
            DocCount(b.Bucket),
            new AggregationResults(b.Bucket)));
        return new TermsResult([.. buckets], (long)(ReadDouble(aggregation, "sum_other_doc_count") ?? 0), (long)(ReadDouble(aggregation, "doc_count_error_upper_bound") ?? 0));
    }

    private JsonElement Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_root.ValueKind == JsonValueKind.Object && _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        throw new InvalidOperationException($"The response has no aggregation named '{name}'.");
    }

    private static IEnumerable<(string? Key, JsonElement Bucket)> Buckets(JsonElement aggregation)
    {
        if (!aggregation.TryGetProperty("buckets", out var buckets))
        {
            yield break;
        }

        if (buckets.ValueKind == JsonValueKind.Array)
        {
            foreach (var bucket in buckets.EnumerateArray())
            {
                yield return (null, bucket);
            }
        }
        else if (buckets.ValueKind == JsonValueKind.Object)
        {
            // "keyed": true turns the array into an object keyed by the bucket key.
            foreach (var bucket in buckets.EnumerateObject())
            {
                yield return (bucket.Name, bucket.Value);
            }
        }
    }

    private static long DocCount(JsonElement bucket) => (long)(ReadDouble(bucket, "doc_count") ?? 0);

    private static string KeyText(JsonElement key) => key.ValueKind == JsonValueKind.String ? key.GetString()! : key.GetRawText();

    private static double? ReadDouble(JsonElement parent, string property) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(property, out var value) ? AsDouble(value) : null;

    private static double? AsDouble(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static InvalidOperationException Malformed(string name, string what) => new($"Aggregation '{name}' is malformed: {what}.");
}

public sealed record DateHistogramBucket(DateTimeOffset Key, long DocCount, AggregationResults Aggregations);

public sealed record TermsBucket(string Key, long DocCount, AggregationResults Aggregations);

public sealed record TermsResult(IReadOnlyList<TermsBucket> Buckets, long SumOtherDocCount, long DocCountErrorUpperBound);

/// <summary>Percentile → value (null where the window held no values), e.g. <c>[95.0] = 182.5</c>.</summary>
public sealed record PercentilesResult(IReadOnlyDictionary<double, double?> Values)
{
    public double? this[double percent] => Values.TryGetValue(percent, out var value) ? value : null;
}
