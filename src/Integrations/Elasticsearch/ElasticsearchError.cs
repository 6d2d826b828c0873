using System.Text.Json.Serialization;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>Elasticsearch's error cause: a machine type (<c>index_not_found_exception</c>) and a human reason.</summary>
public sealed record ElasticsearchError(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("index")] string? Index,
    [property: JsonPropertyName("caused_by")] ElasticsearchError? CausedBy,
    [property: JsonPropertyName("root_cause")] IReadOnlyList<ElasticsearchError>? RootCause)
{
    /// <summary>The most specific reason: the root cause's when the top one is generic ("all shards failed").</summary>
    public string? MostSpecificReason => RootCause is [{ Reason: { } root }, ..] && Type == "search_phase_execution_exception" ? root : Reason ?? CausedBy?.Reason;
}
