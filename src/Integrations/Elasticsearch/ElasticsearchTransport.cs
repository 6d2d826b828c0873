using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
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
/// Sends calls with a per-attempt timeout and retries 429, 5xx and lost connections with exponential
/// backoff and jitter, honouring <c>Retry-After</c>; never other 4xx, which would fail again.
/// </summary>
internal sealed class ElasticsearchTransport
{
    private static readonly ResiliencePropertyKey<ElasticsearchCall> CallKey = new("elasticsearch.call");
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeSpan _maxRetryAfter;

    public ElasticsearchTransport(HttpClient http, ElasticsearchOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _http = http;
        var url = options.Url ?? throw new InvalidOperationException($"Elasticsearch is not configured: set {ElasticsearchOptions.SectionName}:Url.");
        _baseAddress = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _timeProvider = timeProvider;
        _logger = logger;
        _maxRetryAfter = options.MaxRetryAfter;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.Properties.GetValue(CallKey, null!))),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response) : null),
                OnRetry = args =>
                {
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    var failure = args.Outcome.Result is { } r ? $"{(int)r.StatusCode} {r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    Log.Retrying(_logger, call.Operation, call.Index ?? "-", args.AttemptNumber + 1, failure, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder.AddTimeout(options.RequestTimeout).Build();
    }

    public async Task<RawResponse> SendAsync(ElasticsearchCall call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, call);
        try
        {
            using var response = await _pipeline.ExecuteAsync(static (ctx, state) => state.Self.SendOnceAsync(state.Call, ctx.CancellationToken), context, (Self: this, Call: call));
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new RawResponse(response.StatusCode, body, RetryAfter(response));
        }
        catch (TimeoutRejectedException ex)
        {
            throw Fail(call, null, "timeout", $"no answer within {ex.Timeout}", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Fail(call, null, "connection_failed", ex.InnerException?.Message ?? ex.Message, null, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
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

    private async ValueTask<HttpResponseMessage> SendOnceAsync(ElasticsearchCall call, CancellationToken cancellationToken)
    {
        // A fresh message per attempt: a sent HttpRequestMessage cannot be sent again.
        using var request = new HttpRequestMessage(call.Method, new Uri(_baseAddress, call.PathAndQuery));
        if (call.Body is { } body)
        {
            request.Content = new ReadOnlyMemoryContent(body);
            request.Content.Headers.ContentType = new(call.ContentType);
        }

        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ElasticsearchCall call)
    {
        if (outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
        {
            return true; // Nothing reached the server, so even a non-idempotent call is safe to repeat.
        }

        if (outcome.Exception is HttpRequestException { HttpRequestError: not HttpRequestError.SecureConnectionError } or TimeoutRejectedException)
        {
            return call.Idempotent;
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        if (RetryAfter(response) > _maxRetryAfter)
        {
            return false; // The caller learns RetryAfter from the exception and decides.
        }

        var status = (int)response.StatusCode;
        return status == 429 || (status >= 500 && call.Idempotent);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

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
