using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Waits for the method's turn before each attempt and, when Slack answers 429, waits out its
/// Retry-After and sends the same request again, at most <see cref="SlackOptions.MaxRateLimitRetries"/>
/// times. A 429 means Slack did not act on the request, so sending it again cannot duplicate a message.
/// A 5xx or a broken connection is retried with exponential backoff only for methods that are safe
/// to repeat; a post that may have landed is left to the caller (the delivery outbox) to decide.
/// </summary>
internal sealed class SlackRateLimitHandler(SlackRateLimiter limiter, IOptions<SlackOptions> options, TimeProvider timeProvider, ILogger<SlackRateLimitHandler> logger) : DelegatingHandler
{
    /// <summary>Used when a 429 comes without Retry-After; Slack's per-channel window is one second.</summary>
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FirstTransientDelay = TimeSpan.FromSeconds(1);

    /// <summary>Methods whose repetition changes nothing visible: reads, edits to the same content, new upload slots.</summary>
    private static readonly HashSet<string> SafeToRepeat = new(StringComparer.Ordinal)
    {
        "chat.update", "users.info", "files.getUploadURLExternal", "apps.connections.open", "conversations.history", "conversations.replies",
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(SlackRequestOptions.Method, out var method))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        request.Options.TryGetValue(SlackRequestOptions.Channel, out var channel);
        var transientFailures = 0;
        var refusals = 0;
        while (true)
        {
            await limiter.WaitTurnAsync(method, channel, cancellationToken);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (CanRetryTransient(method, transientFailures))
            {
                await WaitTransientAsync(method, e.Message, transientFailures++, cancellationToken);
                continue;
            }

            if ((int)response.StatusCode >= 500 && CanRetryTransient(method, transientFailures))
            {
                response.Dispose();
                await WaitTransientAsync(method, $"HTTP {(int)response.StatusCode}", transientFailures++, cancellationToken);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            var retryAfter = RetryAfterOf(response) ?? DefaultRetryAfter;
            limiter.Defer(method, channel, retryAfter);
            if (refusals++ >= options.Value.MaxRateLimitRetries)
            {
                Log.RateLimitRetriesExhausted(logger, method, channel, refusals);
                return response;
            }

            Log.RateLimited(logger, method, channel, retryAfter, refusals);
            response.Dispose();
        }
    }

    private bool CanRetryTransient(string method, int failures) =>
        SafeToRepeat.Contains(method) && failures < options.Value.MaxTransientRetries;

    private async Task WaitTransientAsync(string method, string reason, int failures, CancellationToken cancellationToken)
    {
        var delay = FirstTransientDelay * Math.Pow(2, failures);
        Log.TransientFailure(logger, method, reason, delay, failures + 1);
        await Task.Delay(delay, timeProvider, cancellationToken);
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
