using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace ChatOps.Integrations.Discord.Rest;

/// <summary>
/// The REST client's resilience pipeline. A 429 means Discord did not act on the request, so any request is sent
/// again, at most <see cref="MaxRateLimitRetries"/> times, when the wait it was given is at most
/// <see cref="MaxRateLimitWait"/>; the wait itself is <see cref="DiscordRateLimitHandler"/>'s, which holds the bucket
/// (or every route) back for all callers, so the pipeline adds none. A 5xx or a broken connection may hide a request
/// Discord did carry out, so it is retried with exponential backoff (1 s, 2 s, 4 s) only when repeating it changes
/// nothing (<see cref="DiscordRoute.SafeToRepeat"/>): a read, an edit, an overwrite, or a message carrying a nonce
/// Discord enforces, which answers a repeat with the message it already made.
/// </summary>
internal static class DiscordRetryPipeline
{
    public const string Name = "discord-rest";

    public const int MaxRateLimitRetries = 4;

    public const int MaxTransientRetries = 3;

    /// <summary>A longer wait is not sat out inside one call: the caller (the outbox) is told when to come back instead.</summary>
    public static readonly TimeSpan MaxRateLimitWait = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstTransientDelay = TimeSpan.FromSeconds(1);
    private static readonly ResiliencePropertyKey<int> Refusals = new("discord.refusals");
    private static readonly ResiliencePropertyKey<int> TransientFailures = new("discord.transient-failures");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DiscordRetryPipeline));
        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            // The two budgets are counted apart in ShouldRetry; this only bounds their sum.
            MaxRetryAttempts = MaxRateLimitRetries + MaxTransientRetries,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, logger)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayOf(args.Outcome, args.Context)),
            OnRetry = args =>
            {
                if (RouteOf(args.Context) is not { } route)
                {
                    return ValueTask.CompletedTask;
                }

                if (args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests })
                {
                    var refusal = RefusalOf(args.Context);
                    DiscordRestLog.RateLimited(logger, route, refusal?.Scope ?? "user", refusal?.RetryAfter ?? TimeSpan.Zero, args.Context.Properties.GetValue(Refusals, 0));
                }
                else
                {
                    var reason = args.Outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : args.Outcome.Exception?.Message ?? "unknown";
                    DiscordRestLog.TransientFailure(logger, route, reason, args.RetryDelay, args.Context.Properties.GetValue(TransientFailures, 0));
                }

                return ValueTask.CompletedTask;
            },
        });
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ILogger logger)
    {
        if (RouteOf(context) is not { } route || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests })
        {
            var refusals = context.Properties.GetValue(Refusals, 0) + 1;
            context.Properties.Set(Refusals, refusals);
            if (RefusalOf(context) is { } refusal && refusal.RetryAfter > MaxRateLimitWait)
            {
                return false;
            }

            if (refusals > MaxRateLimitRetries)
            {
                DiscordRestLog.RateLimitRetriesExhausted(logger, route, refusals);
                return false;
            }

            return true;
        }

        var transient = outcome.Exception is HttpRequestException || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError };
        if (!transient || !route.SafeToRepeat)
        {
            return false;
        }

        var failures = context.Properties.GetValue(TransientFailures, 0) + 1;
        context.Properties.Set(TransientFailures, failures);
        return failures <= MaxTransientRetries;
    }

    private static TimeSpan DelayOf(Outcome<HttpResponseMessage> outcome, ResilienceContext context) =>
        outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests }
            ? TimeSpan.Zero
            : FirstTransientDelay * Math.Pow(2, context.Properties.GetValue(TransientFailures, 1) - 1);

    private static DiscordRoute? RouteOf(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(DiscordRequestOptions.Route, out var route) ? route : null;

    private static DiscordRateLimitRefusal? RefusalOf(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(DiscordRateLimitHandler.LastRefusal, out var refusal) ? refusal : null;
}
