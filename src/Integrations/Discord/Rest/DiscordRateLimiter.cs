using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord.Rest;

/// <summary>A 429 as Discord explains it: how long to wait, and whether it was the global limit.</summary>
internal sealed record DiscordRateLimitRefusal(TimeSpan RetryAfter, bool Global, string Scope);

/// <summary>
/// Discord's rate limits as the answers teach them (rate-limits topic): each route's bucket is learnt from
/// <c>X-RateLimit-Bucket</c>, and counted apart per top-level resource; a bucket whose <c>X-RateLimit-Remaining</c>
/// reached 0 holds its requests back until <c>X-RateLimit-Reset-After</c> has passed, instead of earning a 429. A 429
/// holds back its bucket, or with <c>X-RateLimit-Global</c> every route, for its <c>retry_after</c>. Limits are never
/// written down here: Discord says they change. Runs on <see cref="TimeProvider"/>, so tests move time by hand.
/// </summary>
internal sealed class DiscordRateLimiter(TimeProvider timeProvider, ILogger<DiscordRateLimiter> logger)
{
    /// <summary>Past this many tracked resources, buckets whose window has passed are forgotten.</summary>
    private const int PruneAbove = 2048;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private DateTimeOffset _globalUntil = DateTimeOffset.MinValue;

    /// <summary>Waits until <paramref name="route"/> may be sent, and takes one request of its bucket's allowance.</summary>
    public async ValueTask WaitTurnAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var wait = Reserve(route, timeProvider.GetUtcNow());
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            DiscordRestLog.BucketWait(logger, route, wait);
            await Task.Delay(wait, timeProvider, cancellationToken);
        }
    }

    /// <summary>Learns from an answer's rate-limit headers and, for a 429, from its <paramref name="refusal"/>.</summary>
    public void Observe(DiscordRoute route, HttpResponseMessage response, DiscordRateLimitRefusal? refusal)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(response);
        var now = timeProvider.GetUtcNow();
        var bucketName = Header(response, "X-RateLimit-Bucket");
        var remaining = DiscordRateLimitHeaders.Integer(Header(response, "X-RateLimit-Remaining"));
        var resetAfter = DiscordRateLimitHeaders.Seconds(Header(response, "X-RateLimit-Reset-After"));
        lock (_lock)
        {
            if (!string.IsNullOrEmpty(bucketName))
            {
                _bucketOfRoute[route.Key] = bucketName;
            }

            var bucket = BucketOf(route);
            if (remaining is { } left && resetAfter is { } after)
            {
                bucket.Remaining = left;
                bucket.ResetAt = now + after;
            }

            if (refusal is { Global: true })
            {
                var until = now + refusal.RetryAfter;
                _globalUntil = until > _globalUntil ? until : _globalUntil;
            }
            else if (refusal is not null)
            {
                bucket.Remaining = 0;
                var until = now + refusal.RetryAfter;
                bucket.ResetAt = until > bucket.ResetAt ? until : bucket.ResetAt;
            }

            if (_buckets.Count > PruneAbove)
            {
                foreach (var stale in _buckets.Where(b => b.Value.ResetAt < now).Select(b => b.Key).ToList())
                {
                    _buckets.Remove(stale);
                }
            }
        }
    }

    private TimeSpan Reserve(DiscordRoute route, DateTimeOffset now)
    {
        lock (_lock)
        {
            var wait = !route.ExemptFromGlobalLimit && _globalUntil > now ? _globalUntil - now : TimeSpan.Zero;
            var bucket = BucketOf(route);
            if (bucket.ResetAt <= now)
            {
                // The window has passed: the allowance is unknown again until the next answer says it.
                bucket.Remaining = null;
            }
            else if (bucket.Remaining <= 0 && bucket.ResetAt - now > wait)
            {
                wait = bucket.ResetAt - now;
            }

            if (wait <= TimeSpan.Zero && bucket.Remaining is { } left)
            {
                // Taken before sending, so callers in flight together do not all spend the last request.
                bucket.Remaining = left - 1;
            }

            return wait;
        }
    }

    /// <summary>The bucket of a route's resource: under Discord's bucket name once learnt, else under the route itself.</summary>
    private Bucket BucketOf(DiscordRoute route)
    {
        var name = _bucketOfRoute.GetValueOrDefault(route.Key) ?? route.Key;
        var key = $"{name}|{route.MajorParameter}";
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket();
            _buckets[key] = bucket;
        }

        return bucket;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed class Bucket
    {
        public int? Remaining { get; set; }

        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;
    }
}
