using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>How many shards answered. Failed shards mean partial numbers: say "degraded", don't report them as truth.</summary>
public sealed record ShardStatistics(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("successful")] int Successful,
    [property: JsonPropertyName("skipped")] int Skipped,
    [property: JsonPropertyName("failed")] int Failed);

public sealed record SearchResponse(
    [property: JsonPropertyName("took")] long Took,
    [property: JsonPropertyName("timed_out")] bool TimedOut,
    [property: JsonPropertyName("_shards")] ShardStatistics? Shards,
    [property: JsonPropertyName("hits")] HitsMetadata? Hits,
    [property: JsonPropertyName("pit_id")] string? PitId)
{
    private readonly AggregationResults? _aggregations;

    /// <summary>Named aggregation results; empty when none were asked for.</summary>
    [JsonPropertyName("aggregations")]
    public AggregationResults Aggregations
    {
        get => _aggregations ?? AggregationResults.Empty;

        // The source generator assigns init properties even when absent from the JSON, so null lands here.
        init => _aggregations = value;
    }

    /// <summary>True when shards failed or the search timed out, so the results may be missing data.</summary>
    [JsonIgnore]
    public bool IsPartial => TimedOut || Shards is { Failed: > 0 };

    [JsonIgnore]
    public IReadOnlyList<SearchHit> Documents => Hits?.Hits ?? [];
}

public sealed record HitsMetadata(
    [property: JsonPropertyName("total")] TotalHits? Total,
    [property: JsonPropertyName("max_score")] double? MaxScore,
    [property: JsonPropertyName("hits")] IReadOnlyList<SearchHit> Hits);

/// <summary>The hit count; <c>Relation</c> is <c>gte</c> when Elasticsearch stopped counting (at 10,000 by default).</summary>
public sealed record TotalHits(
    [property: JsonPropertyName("value")] long Value,
    [property: JsonPropertyName("relation")] string Relation);

public sealed record SearchHit(
    [property: JsonPropertyName("_index")] string Index,
    [property: JsonPropertyName("_id")] string? Id,
    [property: JsonPropertyName("_score")] double? Score,
    [property: JsonPropertyName("_source")] JsonElement? Source,
    [property: JsonPropertyName("_seq_no")] long? SeqNo,
    [property: JsonPropertyName("_primary_term")] long? PrimaryTerm)
{
    /// <summary>This hit's sort values: where the next <c>search_after</c> page starts.</summary>
    [JsonPropertyName("sort")]
    public SortCursor? Sort { get; init; }

    public T? Document<T>(JsonTypeInfo<T> typeInfo) => Source is { ValueKind: JsonValueKind.Object } source ? source.Deserialize(typeInfo) : default;
}

public sealed record CountResponse(
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("_shards")] ShardStatistics? Shards);

public sealed record PointInTime(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("_shards")] ShardStatistics? Shards);

public sealed record ClosePointInTimeResponse(
    [property: JsonPropertyName("succeeded")] bool Succeeded,
    [property: JsonPropertyName("num_freed")] int NumFreed);

public enum WriteOutcome
{
    Unknown,
    Created,
    Updated,
    Deleted,
    NotFound,
    Noop,

    /// <summary>The document changed since it was read, or (create) already exists: re-read and decide.</summary>
    Conflict,
}

/// <summary>The result of writing one document (index, create, delete or update share this shape).</summary>
public sealed record WriteResult(
    [property: JsonPropertyName("_index")] string Index,
    [property: JsonPropertyName("_id")] string? Id,
    [property: JsonPropertyName("_version")] long? Version,
    [property: JsonPropertyName("_seq_no")] long? SeqNo,
    [property: JsonPropertyName("_primary_term")] long? PrimaryTerm,
    [property: JsonPropertyName("result")] string? Result,
    [property: JsonPropertyName("_shards")] ShardStatistics? Shards)
{
    /// <summary>Why a <see cref="WriteOutcome.Conflict"/> happened, in Elasticsearch's words.</summary>
    [JsonIgnore]
    public string? ConflictReason { get; init; }

    [JsonIgnore]
    public WriteOutcome Outcome => ConflictReason is not null ? WriteOutcome.Conflict : Result switch
    {
        "created" => WriteOutcome.Created,
        "updated" => WriteOutcome.Updated,
        "deleted" => WriteOutcome.Deleted,
        "not_found" => WriteOutcome.NotFound,
        "noop" => WriteOutcome.Noop,
        _ => WriteOutcome.Unknown,
    };

    internal static WriteResult Conflict(string index, string? id, string reason) => new(index, id, null, null, null, null, null) { ConflictReason = reason };
}

public sealed record GetResult(
    [property: JsonPropertyName("_index")] string Index,
    [property: JsonPropertyName("_id")] string Id,
    [property: JsonPropertyName("found")] bool Found,
    [property: JsonPropertyName("_version")] long? Version,
    [property: JsonPropertyName("_seq_no")] long? SeqNo,
    [property: JsonPropertyName("_primary_term")] long? PrimaryTerm,
    [property: JsonPropertyName("_routing")] string? Routing,
    [property: JsonPropertyName("_source")] JsonElement? Source,
    [property: JsonPropertyName("fields")] JsonElement? Fields)
{
    public T? Document<T>(JsonTypeInfo<T> typeInfo) => Source is { ValueKind: JsonValueKind.Object } source ? source.Deserialize(typeInfo) : default;
}

public enum HealthStatus
{
    Unknown,
    Green,
    Yellow,
    Red,
}

public sealed record ClusterHealthResponse(
    [property: JsonPropertyName("cluster_name")] string ClusterName,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timed_out")] bool TimedOut,
    [property: JsonPropertyName("number_of_nodes")] int NumberOfNodes,
    [property: JsonPropertyName("number_of_data_nodes")] int NumberOfDataNodes,
    [property: JsonPropertyName("active_primary_shards")] int ActivePrimaryShards,
    [property: JsonPropertyName("active_shards")] int ActiveShards,
    [property: JsonPropertyName("relocating_shards")] int RelocatingShards,
    [property: JsonPropertyName("initializing_shards")] int InitializingShards,
    [property: JsonPropertyName("unassigned_shards")] int UnassignedShards,
    [property: JsonPropertyName("number_of_pending_tasks")] int NumberOfPendingTasks,
    [property: JsonPropertyName("active_shards_percent_as_number")] double ActiveShardsPercent)
{
    [JsonIgnore]
    public HealthStatus Health => Status switch
    {
        "green" => HealthStatus.Green,
        "yellow" => HealthStatus.Yellow,
        "red" => HealthStatus.Red,
        _ => HealthStatus.Unknown,
    };
}

public sealed record ClusterInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("cluster_name")] string ClusterName,
    [property: JsonPropertyName("cluster_uuid")] string? ClusterUuid,
    [property: JsonPropertyName("version")] ClusterVersion Version,
    [property: JsonPropertyName("tagline")] string? Tagline);

public sealed record ClusterVersion(
    [property: JsonPropertyName("number")] string Number,
    [property: JsonPropertyName("build_flavor")] string? BuildFlavor,
    [property: JsonPropertyName("lucene_version")] string? LuceneVersion,
    [property: JsonPropertyName("minimum_wire_compatibility_version")] string? MinimumWireCompatibilityVersion);
