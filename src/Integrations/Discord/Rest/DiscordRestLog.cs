using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord.Rest;

/// <summary>Log messages of Discord's REST client; EventIds 3610-3629 (of the Discord range 3600-3649).</summary>
internal static partial class DiscordRestLog
{
    [LoggerMessage(3610, LogLevel.Debug, "Discord bucket of {Route} is exhausted; waiting {Wait} for it to reset", EventName = "DiscordBucketWait")]
    public static partial void BucketWait(ILogger logger, DiscordRoute route, TimeSpan wait);

    [LoggerMessage(3611, LogLevel.Warning, "Discord rate-limited {Route} ({Scope}); retrying after {RetryAfter} (refusal {Refusals})", EventName = "DiscordRateLimited")]
    public static partial void RateLimited(ILogger logger, DiscordRoute route, string scope, TimeSpan retryAfter, int refusals);

    [LoggerMessage(3612, LogLevel.Warning, "Discord global rate limit hit on {Route}; every route waits {RetryAfter}", EventName = "DiscordGlobalRateLimited")]
    public static partial void GlobalRateLimited(ILogger logger, DiscordRoute route, TimeSpan retryAfter);

    [LoggerMessage(3613, LogLevel.Warning, "Discord {Route} failed ({Reason}); retrying after {Delay} (attempt {Attempt})", EventName = "DiscordTransientFailure")]
    public static partial void TransientFailure(ILogger logger, DiscordRoute route, string reason, TimeSpan delay, int attempt);

    [LoggerMessage(3614, LogLevel.Warning, "Discord {Route} answered {Status}: code {Code}, {Message}{Errors}", EventName = "DiscordApiError")]
    public static partial void ApiError(ILogger logger, DiscordRoute route, int status, int? code, string message, string errors);

    [LoggerMessage(3615, LogLevel.Warning, "Discord still rate-limits {Route} after {Refusals} refusals; giving up", EventName = "DiscordRateLimitRetriesExhausted")]
    public static partial void RateLimitRetriesExhausted(ILogger logger, DiscordRoute route, int refusals);
}
