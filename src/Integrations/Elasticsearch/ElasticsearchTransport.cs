using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>One HTTP call to make: what it is for (named in errors and logs) and whether repeating it is safe.</summary>
internal sealed record ElasticsearchCall(string Operation, HttpMethod Method, string PathAndQuery, string? Index)
{
    public ReadOnlyMemory<byte>? Body { get; init; }

    public string ContentType { get; init; } = "application/json";

    /// <summary>False for writes that would duplicate if repeated (generated ids): these retry only on 429, which Elasticsearch sends before doing anything.</summary>
    public bool Idempotent { get; init; } = true;
}

internal readonly record struct RawResponse(HttpStatusCode Status, byte[] Body, TimeSpan? RetryAfter)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// Sends calls and turns errors into typed exceptions. Timeouts and retries are the HTTP client's
/// resilience pipeline (<see cref="ElasticsearchResilience"/>), which reads the call from the request to
/// know whether repeating it is safe.
/// </summary>
internal sealed class ElasticsearchTransport
{
    internal static readonly HttpRequestOptionsKey<ElasticsearchCall> CallKey = new("elasticsearch.call");
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ElasticsearchTransport(HttpClient http, ElasticsearchOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _http = http;
        var url = options.Url ?? throw new InvalidOperationException($"Elasticsearch is not configured: set {ElasticsearchOptions.SectionName}:Url.");
        _baseAddress = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<RawResponse> SendAsync(ElasticsearchCall call, CancellationToken cancellationToken)
    {
        // The pipeline sends this same message again on a retry; its content is a buffer, so it can be re-read.
        using var request = new HttpRequestMessage(call.Method, new Uri(_baseAddress, call.PathAndQuery));
        request.Options.Set(CallKey, call);
        if (call.Body is { } body)
        {
            request.Content = new ReadOnlyMemoryContent(body);
            request.Content.Headers.ContentType = new(call.ContentType);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new RawResponse(response.StatusCode, bytes, ElasticsearchResilience.RetryAfter(response, _timeProvider));
        }
        catch (TimeoutRejectedException ex)
        {
            throw Fail(call, null, "timeout", $"no answer within {ex.Timeout}", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Fail(call, null, "connection_failed", ex.InnerException?.Message ?? ex.Message, null, ex);
        }
    }

    /// <summary>
    /// Turns an error response into an exception naming the index and Elasticsearch's reason, logged
    /// unless the caller expects it (a conflict is a result, not a failure).
    /// </summary>
    public ElasticsearchException Error(ElasticsearchCall call, RawResponse response, bool expected = false)
    {
        var (type, reason, index) = ParseError(response.Body);
        return Fail(call with { Index = index ?? call.Index }, response.Status, type ?? response.Status.ToString(), reason, response.RetryAfter, null, log: !expected);
    }

    private ElasticsearchException Fail(ElasticsearchCall call, HttpStatusCode? status, string? type, string? reason, TimeSpan? retryAfter, Exception? inner, bool log = true)
    {
        if (log)
        {
            Log.RequestFailed(_logger, call.Operation, call.Index ?? "-", status, type, reason);
        }

        return new ElasticsearchException(call.Operation, call.Index, status, type, reason, retryAfter, inner);
    }

    private static (string? Type, string? Reason, string? Index) ParseError(byte[] body)
    {
        if (body.Length == 0)
        {
            return (null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error", out var error))
            {
                return (null, Truncate(System.Text.Encoding.UTF8.GetString(body)), null);
            }

            if (error.ValueKind == JsonValueKind.String)
            {
                return (null, error.GetString(), null);
            }

            var cause = error.Deserialize(ElasticsearchJsonContext.Default.ElasticsearchError);
            var index = cause?.Index ?? cause?.RootCause?.FirstOrDefault(c => c.Index is not null)?.Index;
            return (cause?.Type, cause?.MostSpecificReason, index);
        }
        catch (JsonException)
        {
            // Proxies in front of Elasticsearch answer with HTML or plain text.
            return (null, Truncate(System.Text.Encoding.UTF8.GetString(body)), null);
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";
}
