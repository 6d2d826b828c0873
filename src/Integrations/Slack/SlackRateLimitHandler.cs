namespace ChatOps.Integrations.Slack;

/// <summary>
/// Runs inside the retry pipeline (<see cref="SlackRetryPipeline"/>), so every attempt, first or
/// repeated, waits for its method's turn in <see cref="SlackRateLimiter"/>; and a 429 holds that method
/// back for everyone by its Retry-After, not only for the caller that was refused. Retrying is the
/// pipeline's job, not this handler's.
/// </summary>
internal sealed class SlackRateLimitHandler(SlackRateLimiter limiter) : DelegatingHandler
{
    /// <summary>Used when a 429 comes without Retry-After.</summary>
    internal static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(SlackRequestOptions.Method, out var method))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        await limiter.WaitTurnAsync(method, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
        {
            limiter.Defer(method, RetryAfterOf(response) ?? DefaultRetryAfter);
        }

        return response;
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
