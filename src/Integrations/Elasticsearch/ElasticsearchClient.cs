using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>The typed REST client: builds each call, sends it through the transport, maps the answer.</summary>
internal sealed class ElasticsearchClient(HttpClient http, IOptions<ElasticsearchOptions> options, TimeProvider timeProvider, ILogger<ElasticsearchClient> logger)
    : IElasticsearchClient
{
    private readonly ElasticsearchTransport _transport = new(http, options.Value, timeProvider, logger);

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PointInTime is not null && request.Indices.Count > 0)
        {
            throw new ArgumentException("A point-in-time search names no indices: the point in time already does.", nameof(request));
        }

        var path = request.Indices.Count == 0 ? RequestPaths.Root().Segment("_search") : RequestPaths.Root().Segment(RequestPaths.Indices(request.Indices)).Segment("_search");
        var index = request.Indices.Count == 0 ? null : string.Join(',', request.Indices);
        var call = new ElasticsearchCall("search", HttpMethod.Post, path.ToString(), index) { Body = RequestBodies.Search(request) };
        var response = await SendAsync(call, ElasticsearchJsonContext.Default.SearchResponse, cancellationToken);
        if (response.IsPartial)
        {
            Log.PartialResults(logger, index ?? "-", response.Shards?.Failed ?? 0, response.Shards?.Total ?? 0, response.TimedOut);
        }

        return response;
    }

    public Task<CountResponse> CountAsync(CountRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireIndices(request.Indices, nameof(request));
        var path = RequestPaths.Root().Segment(RequestPaths.Indices(request.Indices)).Segment("_count");
        var call = new ElasticsearchCall("count", HttpMethod.Post, path.ToString(), string.Join(',', request.Indices)) { Body = RequestBodies.Count(request) };
        return SendAsync(call, ElasticsearchJsonContext.Default.CountResponse, cancellationToken);
    }

    public Task<PointInTime> OpenPointInTimeAsync(OpenPointInTimeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireIndices(request.Indices, nameof(request));
        var path = RequestPaths.Root().Segment(RequestPaths.Indices(request.Indices)).Segment("_pit")
            .Query("keep_alive", Duration.Format(request.KeepAlive))
            .Query("allow_partial_search_results", request.AllowPartialSearchResults)
            .Query("ignore_unavailable", request.IgnoreUnavailable);
        var call = new ElasticsearchCall("open_point_in_time", HttpMethod.Post, path.ToString(), string.Join(',', request.Indices));
        return SendAsync(call, ElasticsearchJsonContext.Default.PointInTime, cancellationToken);
    }

    public async Task<ClosePointInTimeResponse> ClosePointInTimeAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var call = new ElasticsearchCall("close_point_in_time", HttpMethod.Delete, "_pit", null) { Body = RequestBodies.ClosePointInTime(id) };
        var raw = await _transport.SendAsync(call, cancellationToken);
        if (raw.Status == HttpStatusCode.NotFound)
        {
            return new ClosePointInTimeResponse(false, 0); // Expired already: nothing left to free.
        }

        return Parse(call, raw, ElasticsearchJsonContext.Default.ClosePointInTimeResponse);
    }

    public async Task<BulkResponse> BulkAsync(BulkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operations.Count == 0)
        {
            throw new ArgumentException("A bulk request needs at least one operation.", nameof(request));
        }

        var path = RequestPaths.Root().Segment("_bulk").Query("refresh", request.Refresh);
        var indices = string.Join(',', request.Operations.Select(o => o.Index).Distinct());
        var call = new ElasticsearchCall("bulk", HttpMethod.Post, path.ToString(), indices)
        {
            Body = RequestBodies.Bulk(request),
            ContentType = "application/x-ndjson",
            Idempotent = request.Operations.All(o => o.Id is not null),
        };
        var response = await SendAsync(call, ElasticsearchJsonContext.Default.BulkResponse, cancellationToken);
        var failed = response.FailedItems;
        if (failed.Count > 0)
        {
            Log.BulkItemsFailed(logger, failed.Count, response.Items.Count, failed[0].Error?.Type, failed[0].Error?.Reason);
        }

        return response;
    }

    public Task<WriteResult> IndexAsync(IndexRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Document);
        if (request.IfSeqNo.HasValue != request.IfPrimaryTerm.HasValue)
        {
            throw new ArgumentException("IfSeqNo and IfPrimaryTerm go together.", nameof(request));
        }

        if (request.IfSeqNo.HasValue && request.Id is null)
        {
            throw new ArgumentException("A conditional write names the document it read: set Id.", nameof(request));
        }

        var path = RequestPaths.Root().Escaped(request.Index).Segment("_doc");
        if (request.Id is not null)
        {
            path.Escaped(request.Id);
        }

        path.Query("if_seq_no", request.IfSeqNo).Query("if_primary_term", request.IfPrimaryTerm)
            .Query("refresh", request.Refresh).Query("pipeline", request.Pipeline);
        var call = new ElasticsearchCall("index", request.Id is null ? HttpMethod.Post : HttpMethod.Put, path.ToString(), request.Index)
        {
            Body = request.Document.Utf8Json,
            Idempotent = request.Id is not null,
        };
        return WriteAsync(call, request.Id, cancellationToken);
    }

    public Task<WriteResult> CreateAsync(CreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Document);
        var path = RequestPaths.Root().Escaped(request.Index).Segment("_create").Escaped(request.Id)
            .Query("refresh", request.Refresh).Query("pipeline", request.Pipeline);
        var call = new ElasticsearchCall("create", HttpMethod.Put, path.ToString(), request.Index) { Body = request.Document.Utf8Json };
        return WriteAsync(call, request.Id, cancellationToken);
    }

    public async Task<GetResult?> GetAsync(string index, string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(index);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var call = new ElasticsearchCall("get", HttpMethod.Get, RequestPaths.Root().Escaped(index).Segment("_doc").Escaped(id).ToString(), index);
        var raw = await _transport.SendAsync(call, cancellationToken);
        if (raw.Status == HttpStatusCode.NotFound && TryParse(raw.Body, ElasticsearchJsonContext.Default.GetResult) is { Found: false, Index: not null })
        {
            return null; // The document is missing; a missing index is an error and throws below.
        }

        return Parse(call, raw, ElasticsearchJsonContext.Default.GetResult);
    }

    public Task<ClusterHealthResponse> ClusterHealthAsync(ClusterHealthRequest? request = null, CancellationToken cancellationToken = default)
    {
        request ??= new ClusterHealthRequest();
        var path = RequestPaths.Root().Segment("_cluster").Segment("health");
        if (request.Indices.Count > 0)
        {
            path.Segment(RequestPaths.Indices(request.Indices));
        }

        path.Query("timeout", request.Timeout is { } timeout ? Duration.Format(timeout) : null);
        var call = new ElasticsearchCall("cluster_health", HttpMethod.Get, path.ToString(), request.Indices.Count == 0 ? null : string.Join(',', request.Indices));
        return SendAsync(call, ElasticsearchJsonContext.Default.ClusterHealthResponse, cancellationToken);
    }

    public Task<ClusterInfo> InfoAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new ElasticsearchCall("info", HttpMethod.Get, "", null), ElasticsearchJsonContext.Default.ClusterInfo, cancellationToken);

    private async Task<WriteResult> WriteAsync(ElasticsearchCall call, string? id, CancellationToken cancellationToken)
    {
        var raw = await _transport.SendAsync(call, cancellationToken);
        if (raw.Status == HttpStatusCode.Conflict)
        {
            var error = _transport.Error(call, raw, expected: true);
            Log.WriteConflict(logger, call.Operation, call.Index!, id, error.Reason ?? "version conflict");
            return WriteResult.Conflict(call.Index!, id, error.Reason ?? "version conflict");
        }

        return Parse(call, raw, ElasticsearchJsonContext.Default.WriteResult);
    }

    private async Task<T> SendAsync<T>(ElasticsearchCall call, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        Parse(call, await _transport.SendAsync(call, cancellationToken), typeInfo);

    private T Parse<T>(ElasticsearchCall call, RawResponse raw, JsonTypeInfo<T> typeInfo)
    {
        if (!raw.IsSuccess)
        {
            throw _transport.Error(call, raw);
        }

        try
        {
            return JsonSerializer.Deserialize(raw.Body, typeInfo)
                ?? throw new ElasticsearchException(call.Operation, call.Index, raw.Status, "empty_response", "the response body was null");
        }
        catch (JsonException ex)
        {
            throw new ElasticsearchException(call.Operation, call.Index, raw.Status, "malformed_response", ex.Message, null, ex);
        }
    }

    private static T? TryParse<T>(byte[] body, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return body.Length == 0 ? default : JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static void RequireIndices(IReadOnlyList<string> indices, string parameter)
    {
        if (indices.Count == 0)
        {
            throw new ArgumentException("Name at least one index, alias or pattern.", parameter);
        }
    }
}
