namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// The Elasticsearch REST API this product uses: KPIs by aggregation, tails by point in time and
/// <c>search_after</c>, event writes by index/create/bulk. Failures throw
/// <see cref="ElasticsearchException"/>; an expected version conflict is a <see cref="WriteOutcome.Conflict"/> result.
/// </summary>
public interface IElasticsearchClient
{
    Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default);

    Task<CountResponse> CountAsync(CountRequest request, CancellationToken cancellationToken = default);

    Task<PointInTime> OpenPointInTimeAsync(OpenPointInTimeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Frees a point in time. One that already expired is not an error: <c>Succeeded</c> is then false.</summary>
    Task<ClosePointInTimeResponse> ClosePointInTimeAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Runs the operations; per-item failures are in <see cref="BulkResponse.FailedItems"/>, not thrown.</summary>
    Task<BulkResponse> BulkAsync(BulkRequest request, CancellationToken cancellationToken = default);

    Task<WriteResult> IndexAsync(IndexRequest request, CancellationToken cancellationToken = default);

    Task<WriteResult> CreateAsync(CreateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a document with its <c>_seq_no</c>/<c>_primary_term</c>; null when it does not exist.</summary>
    Task<GetResult?> GetAsync(string index, string id, CancellationToken cancellationToken = default);

    Task<ClusterHealthResponse> ClusterHealthAsync(ClusterHealthRequest? request = null, CancellationToken cancellationToken = default);

    /// <summary>Name and version of the cluster: a cheap reachability check.</summary>
    Task<ClusterInfo> InfoAsync(CancellationToken cancellationToken = default);
}
