using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Waits for the method's turn before each attempt and, when Slack answers 429, waits out its
/// Retry-After and sends the same request again, at most <see cref="SlackOptions.MaxRateLimitRetries"/>
/// times. A 429 means Slack did not act on the request, so sending it again cannot duplicate a message.
/// </summary>
internal sealed class SlackRateLimitHandler(SlackRateLimiter limiter, IOptions<SlackOptions> options, ILogger<SlackRateLimitHandler> logger) : DelegatingHandler
{
    /// <summary>Used when a 429 comes without Retry-After; Slack's per-channel window is one second.</summary>
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(SlackRequestOptions.Method, out var method))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        request.Options.TryGetValue(SlackRequestOptions.Channel, out var channel);
        for (var attempt = 0; ; attempt++)
        {
            await limiter.WaitTurnAsync(method, channel, cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            var retryAfter = RetryAfterOf(response) ?? DefaultRetryAfter;
            limiter.Defer(method, channel, retryAfter);
            if (attempt >= options.Value.MaxRateLimitRetries)
            {
                Log.RateLimitRetriesExhausted(logger, method, channel, attempt + 1);
                return response;
            }

            Log.RateLimited(logger, method, channel, retryAfter, attempt + 1);
            response.Dispose();
        }
    }

    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        // A date form is legal HTTP but Slack sends seconds; a date is taken as "soon".
        return header?.Date is not null ? DefaultRetryAfter : null;
    }
}
