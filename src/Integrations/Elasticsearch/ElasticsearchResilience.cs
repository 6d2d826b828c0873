using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// The typed client's resilience pipeline (a Microsoft.Extensions.Http.Resilience handler): a per-attempt
/// timeout, and retries of 429, 5xx and lost connections with exponential backoff and jitter, honouring
/// <c>Retry-After</c> up to <see cref="ElasticsearchOptions.MaxRetryAfter"/>; never other 4xx, which would
/// fail again. A call that is not idempotent (a write with a generated id) is repeated only when nothing
/// reached the server: a refused connection, or a 429, which Elasticsearch sends before doing anything.
/// </summary>
internal static class ElasticsearchResilience
{
    public const string Name = "elasticsearch";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ElasticsearchOptions options, TimeProvider time, ILogger logger)
    {
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, CallOf(args.Context), options, time)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response, time) : null),
                OnRetry = args =>
                {
                    var call = CallOf(args.Context);
                    var failure = args.Outcome.Result is { } r ? $"{(int)r.StatusCode} {r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    Log.Retrying(logger, call?.Operation ?? "-", call?.Index ?? "-", args.AttemptNumber + 1, failure, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(options.RequestTimeout);
    }

    /// <summary>How long the server asked us to wait: seconds, or a date measured on our clock.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static ElasticsearchCall? CallOf(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(ElasticsearchTransport.CallKey, out var call) == true ? call : null;

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ElasticsearchCall? call, ElasticsearchOptions options, TimeProvider time)
    {
        // A request the transport did not describe is not known to be safe to repeat.
        var idempotent = call?.Idempotent ?? false;
        if (outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
        {
            return call is not null; // Nothing reached the server, so even a non-idempotent call is safe to repeat.
        }

        if (outcome.Exception is HttpRequestException { HttpRequestError: not HttpRequestError.SecureConnectionError } or TimeoutRejectedException)
        {
            return idempotent;
        }

        if (outcome.Result is not { } response || call is null)
        {
            return false;
        }

        if (RetryAfter(response, time) > options.MaxRetryAfter)
        {
            return false; // The caller learns RetryAfter from the exception and decides.
        }

        var status = (int)response.StatusCode;
        return status == (int)HttpStatusCode.TooManyRequests || (status >= 500 && idempotent);
    }
}
