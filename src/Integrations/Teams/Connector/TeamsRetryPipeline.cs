using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>
/// The Connector client's resilience pipeline. A 429 means the Connector throttled the request without acting on it,
/// so any operation is sent again after its <c>Retry-After</c> (or a doubling wait when it gives none), at most
/// <see cref="MaxRateLimitRetries"/> times. A 5xx or a broken connection is retried with exponential backoff only for
/// an update (a PUT of the same content twice is the same card), at most <see cref="MaxTransientRetries"/> times:
/// the Connector has been seen to deliver a message and still answer 5xx, and a new post has no idempotency key, so
/// a post that may have landed is left to the delivery outbox (see <see cref="TeamsChatSender"/>).
/// </summary>
internal static class TeamsRetryPipeline
{
    public const string Name = "teams-connector";

    internal const int MaxRateLimitRetries = 5;
    internal const int MaxTransientRetries = 3;

    /// <summary>The longest wait the pipeline takes itself; a longer Retry-After is left to the outbox, which pauses the whole conversation.</summary>
    internal static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly ResiliencePropertyKey<int> Refusals = new("teams.refusals");
    private static readonly ResiliencePropertyKey<int> TransientFailures = new("teams.transient-failures");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TeamsRetryPipeline));
        var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            // The two budgets are counted apart in ShouldRetry; this only bounds their sum.
            MaxRetryAttempts = MaxRateLimitRetries + MaxTransientRetries,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, time)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayOf(args.Outcome, args.Context, time)),
            OnRetry = args =>
            {
                var (operation, conversation) = Describe(args.Context);
                var reason = args.Outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : args.Outcome.Exception?.Message ?? "unknown";
                Log.Retrying(logger, operation ?? "-", conversation, reason, args.RetryDelay, args.AttemptNumber + 1);
                return ValueTask.CompletedTask;
            },
        });
    }

    /// <summary>The wait a 429 or 503 asks for, when it says (seconds or a date).</summary>
    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is not { } date)
        {
            return null;
        }

        var wait = date - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeProvider time)
    {
        var (operation, _) = Describe(context);
        if (operation is null)
        {
            return false;
        }

        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } throttled)
        {
            if (RetryAfterOf(throttled, time) > MaxRetryAfter)
            {
                return false;
            }

            var refusals = context.Properties.GetValue(Refusals, 0) + 1;
            context.Properties.Set(Refusals, refusals);
            return refusals <= MaxRateLimitRetries;
        }

        var transient = outcome.Exception is HttpRequestException || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError };
        if (!transient || operation != TeamsRequestOptions.Update)
        {
            return false;
        }

        var failures = context.Properties.GetValue(TransientFailures, 0) + 1;
        context.Properties.Set(TransientFailures, failures);
        return failures <= MaxTransientRetries;
    }

    private static TimeSpan DelayOf(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeProvider time)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } throttled)
        {
            return RetryAfterOf(throttled, time) ?? FirstDelay * Math.Pow(2, context.Properties.GetValue(Refusals, 1) - 1);
        }

        return FirstDelay * Math.Pow(2, context.Properties.GetValue(TransientFailures, 1) - 1);
    }

    private static (string? Operation, string? Conversation) Describe(ResilienceContext context)
    {
        var request = context.GetRequestMessage();
        if (request is null || !request.Options.TryGetValue(TeamsRequestOptions.Operation, out var operation))
        {
            return (null, null);
        }

        request.Options.TryGetValue(TeamsRequestOptions.Conversation, out var conversation);
        return (operation, conversation);
    }
}
