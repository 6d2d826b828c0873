using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// The Web API client's resilience pipeline. A 429 means Slack did not act on the request. The delivery outbox's calls
/// hand it back at once (<see cref="SlackApiException.RetryAfter"/>): the outbox pauses the channel for every replica and
/// sends the message again after it, instead of one replica waiting inside the call while the others keep sending.
/// Any other call is sent again after its Retry-After, at most <see cref="SlackOptions.MaxRateLimitRetries"/> times. A 5xx
/// or a broken connection is retried with exponential backoff (1 s, 2 s, 4 s…) only for methods that are
/// safe to repeat, at most <see cref="SlackOptions.MaxTransientRetries"/> times; a post that may have
/// landed is left to the caller (the delivery outbox, which looks it up before posting again). Calls
/// outside the Web API (the pre-signed upload URL) are never repeated.
/// </summary>
internal static class SlackRetryPipeline
{
    public const string Name = "slack-web-api";

    private static readonly TimeSpan FirstTransientDelay = TimeSpan.FromSeconds(1);

    /// <summary>Methods whose repetition changes nothing visible: reads, edits to the same content, new upload slots.</summary>
    private static readonly HashSet<string> SafeToRepeat = new(StringComparer.Ordinal)
    {
        "chat.update", "users.info", "files.getUploadURLExternal", "apps.connections.open", "conversations.history", "conversations.replies",
    };

    /// <summary>What the delivery outbox calls (posts, edits, their uploads, the look-ups before a post is sent again): paced by it.</summary>
    private static readonly HashSet<string> PacedByTheOutbox = new(StringComparer.Ordinal)
    {
        "chat.postMessage", "chat.postEphemeral", "chat.update", "files.getUploadURLExternal", "files.completeUploadExternal",
        "conversations.history", "conversations.replies",
    };

    private static readonly ResiliencePropertyKey<int> Refusals = new("slack.refusals");
    private static readonly ResiliencePropertyKey<int> TransientFailures = new("slack.transient-failures");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value;
        var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SlackRetryPipeline));
        var attempts = options.MaxRateLimitRetries + options.MaxTransientRetries;
        if (attempts == 0)
        {
            return;
        }

        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            // The two budgets are counted apart in ShouldHandle; this only bounds their sum.
            MaxRetryAttempts = attempts,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, logger)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayOf(args.Outcome, args.Context)),
            OnRetry = args =>
            {
                var (method, channel) = Describe(args.Context);
                method ??= "-";
                if (args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests })
                {
                    Log.RateLimited(logger, method, channel, args.RetryDelay, args.Context.Properties.GetValue(Refusals, 0));
                }
                else
                {
                    var reason = args.Outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : args.Outcome.Exception?.Message ?? "unknown";
                    Log.TransientFailure(logger, method, reason, args.RetryDelay, args.Context.Properties.GetValue(TransientFailures, 0));
                }

                return ValueTask.CompletedTask;
            },
        });
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, SlackOptions options, ILogger logger)
    {
        var (method, channel) = Describe(context);
        if (method is null)
        {
            return false;
        }

        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests })
        {
            if (PacedByTheOutbox.Contains(method))
            {
                return false;
            }

            var refusals = context.Properties.GetValue(Refusals, 0) + 1;
            context.Properties.Set(Refusals, refusals);
            if (refusals > options.MaxRateLimitRetries)
            {
                Log.RateLimitRetriesExhausted(logger, method, channel, refusals);
                return false;
            }

            return true;
        }

        var transient = outcome.Exception is HttpRequestException || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError };
        if (!transient || !SafeToRepeat.Contains(method))
        {
            return false;
        }

        var failures = context.Properties.GetValue(TransientFailures, 0) + 1;
        context.Properties.Set(TransientFailures, failures);
        return failures <= options.MaxTransientRetries;
    }

    private static TimeSpan DelayOf(Outcome<HttpResponseMessage> outcome, ResilienceContext context) =>
        outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response
            ? SlackRateLimitHandler.RetryAfterOf(response) ?? SlackRateLimitHandler.DefaultRetryAfter
            : FirstTransientDelay * Math.Pow(2, context.Properties.GetValue(TransientFailures, 1) - 1);

    private static (string? Method, string? Channel) Describe(ResilienceContext context)
    {
        var request = context.GetRequestMessage();
        if (request is null || !request.Options.TryGetValue(SlackRequestOptions.Method, out var method))
        {
            return (null, null);
        }

        request.Options.TryGetValue(SlackRequestOptions.Channel, out var channel);
        return (method, channel);
    }
}
