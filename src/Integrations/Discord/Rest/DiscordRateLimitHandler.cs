using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord.Rest;

/// <summary>
/// Runs inside the retry pipeline (<see cref="DiscordRetryPipeline"/>), so every attempt, first or repeated, waits
/// until its bucket (and the global limit) allows it, and every answer teaches <see cref="DiscordRateLimiter"/> what
/// Discord counts. A 429 is recorded on the request for the pipeline and the client; retrying is the pipeline's job.
/// </summary>
internal sealed class DiscordRateLimitHandler(DiscordRateLimiter limiter, ILogger<DiscordRateLimitHandler> logger) : DelegatingHandler
{
    /// <summary>The last 429 a request received, for the retry decision and the error thrown when retries run out.</summary>
    public static readonly HttpRequestOptionsKey<DiscordRateLimitRefusal> LastRefusal = new("discord.last-refusal");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(DiscordRequestOptions.Route, out var route))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        await limiter.WaitTurnAsync(route, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var refusal = await DiscordRateLimitHeaders.RefusalOfAsync(response, cancellationToken);
        limiter.Observe(route, response, refusal);
        if (refusal is not null)
        {
            request.Options.Set(LastRefusal, refusal);
            if (refusal.Global)
            {
                DiscordRestLog.GlobalRateLimited(logger, route, refusal.RetryAfter);
            }
        }

        return response;
    }
}
