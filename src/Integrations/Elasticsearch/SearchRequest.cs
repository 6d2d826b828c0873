namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// A search. For a KPI set <see cref="Size"/> to 0 and ask for <see cref="Aggregations"/>; to tail an
/// index open a point in time, set <see cref="PointInTime"/>, <see cref="Sort"/> and <see cref="SearchAfter"/>
/// (and no <see cref="Indices"/>: the point in time already names them).
/// </summary>
public sealed record SearchRequest
{
    /// <summary>Indices, aliases or patterns such as <c>logs-*</c>; empty searches every index (or the point in time).</summary>
    public IReadOnlyList<string> Indices { get; init; } = [];

    public Query? Query { get; init; }

    /// <summary>Hits to return. <value>Default: Elasticsearch's (10).</value></summary>
    public int? Size { get; init; }

    public int? From { get; init; }

    public IReadOnlyList<SortField> Sort { get; init; } = [];

    public SortCursor? SearchAfter { get; init; }

    public PointInTimeReference? PointInTime { get; init; }

    public IReadOnlyDictionary<string, Aggregation> Aggregations { get; init; } = new Dictionary<string, Aggregation>();

    /// <summary>Exact hit counts cost time; false skips them, true counts past 10,000.</summary>
    public bool? TrackTotalHits { get; init; }

    /// <summary>False leaves <c>_source</c> out of hits.</summary>
    public bool? Source { get; init; }

    /// <summary>Asks for each hit's <c>_seq_no</c> and <c>_primary_term</c>, for a later conditional write.</summary>
    public bool SeqNoPrimaryTerm { get; init; }

    public static SearchRequest For(params IEnumerable<string> indices) => new() { Indices = [.. indices] };
}

/// <summary>A point in time to search, kept alive for another <paramref name="KeepAlive"/> by each search.</summary>
public sealed record PointInTimeReference(string Id, TimeSpan KeepAlive);

public sealed record CountRequest(IReadOnlyList<string> Indices)
{
    public Query? Query { get; init; }
}

public sealed record OpenPointInTimeRequest(IReadOnlyList<string> Indices, TimeSpan KeepAlive)
{
    /// <summary>True lets the point in time open when some shards are unavailable. <value>Default: Elasticsearch's (false).</value></summary>
    public bool? AllowPartialSearchResults { get; init; }

    /// <summary>True skips missing indices instead of failing.</summary>
    public bool? IgnoreUnavailable { get; init; }
}

/// <summary>When a write becomes visible to search.</summary>
public enum Refresh
{
    /// <summary>Elasticsearch's default: at the next periodic refresh.</summary>
    False,

    /// <summary>Refresh the affected shards now (costly; tests and rare admin writes).</summary>
    True,

    /// <summary>Return once a periodic refresh has made the write visible.</summary>
    WaitFor,
}

/// <summary>
/// Writes a document with an explicit or generated id. With <see cref="IfSeqNo"/> and
/// <see cref="IfPrimaryTerm"/> the write happens only if the document is unchanged since it was read;
/// otherwise the result is <see cref="WriteOutcome.Conflict"/>.
/// </summary>
public sealed record IndexRequest(string Index, DocumentBody Document)
{
    /// <summary>The document id; null lets Elasticsearch generate one (such a write is never retried after a 5xx, to avoid duplicates).</summary>
    public string? Id { get; init; }

    public long? IfSeqNo { get; init; }

    public long? IfPrimaryTerm { get; init; }

    public Refresh? Refresh { get; init; }

    public string? Pipeline { get; init; }
}

/// <summary>Writes a document only if its id is new; an existing id gives <see cref="WriteOutcome.Conflict"/>.</summary>
public sealed record CreateRequest(string Index, string Id, DocumentBody Document)
{
    public Refresh? Refresh { get; init; }

    public string? Pipeline { get; init; }
}

public sealed record ClusterHealthRequest
{
    /// <summary>Limits the health to these indices.</summary>
    public IReadOnlyList<string> Indices { get; init; } = [];

    /// <summary>How long the cluster may take to answer. <value>Default: Elasticsearch's (30s).</value></summary>
    public TimeSpan? Timeout { get; init; }
}
