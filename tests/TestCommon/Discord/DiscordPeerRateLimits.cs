using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChatOps.TestCommon.Discord;

/// <summary>A 429 the peer answers: how long to wait, and whether every route is held back.</summary>
public sealed record DiscordPeerRefusal(TimeSpan RetryAfter, bool Global, string Scope);

/// <summary>
/// Discord's rate limits as the peer plays them (rate-limits topic): each operation is a bucket counted per top-level
/// resource (a channel, a guild, a webhook with its token), every answer carries the <c>X-RateLimit-*</c> headers,
/// and a request beyond the bucket's allowance, or while an injected 429 or the global limit holds, is refused with
/// a 429. A refusal the client earned by not waiting is counted in <see cref="EarlyRequests"/>.
/// </summary>
internal sealed class DiscordPeerRateLimits(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (int Limit, TimeSpan Window)> _limits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<TimeSpan>> _injected = new(StringComparer.Ordinal);
    private TimeSpan? _injectGlobal;
    private DateTimeOffset _globalUntil = DateTimeOffset.MinValue;

    /// <summary>The allowance of a bucket no test configured: ample, so only tests about limits meet one.</summary>
    public (int Limit, TimeSpan Window) Default { get; set; } = (50, TimeSpan.FromSeconds(1));

    public int RateLimited { get; private set; }

    public int EarlyRequests { get; private set; }

    public void SetLimit(string operationId, int limit, TimeSpan window)
    {
        lock (_lock)
        {
            _limits[operationId] = (limit, window);
        }
    }

    public void Inject(string operationId, TimeSpan retryAfter, int times)
    {
        lock (_lock)
        {
            if (!_injected.TryGetValue(operationId, out var queue))
            {
                queue = new Queue<TimeSpan>();
                _injected[operationId] = queue;
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(retryAfter);
            }
        }
    }

    public void InjectGlobal(TimeSpan retryAfter)
    {
        lock (_lock)
        {
            _injectGlobal = retryAfter;
        }
    }

    /// <summary>Counts the request against its bucket; the refusal when it must be answered 429, with the headers to send either way.</summary>
    public (DiscordPeerRefusal? Refusal, Dictionary<string, string> Headers) Admit(string operationId, string majorParameter, bool exemptFromGlobal)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var (limit, length) = _limits.GetValueOrDefault(operationId, Default);
            var key = $"{operationId}|{majorParameter}";
            if (!_windows.TryGetValue(key, out var window) || window.ResetAt <= now)
            {
                window = new Window { ResetAt = now + length };
                _windows[key] = window;
            }

            DiscordPeerRefusal? refusal = null;
            if (!exemptFromGlobal && _globalUntil > now)
            {
                EarlyRequests++;
                refusal = new DiscordPeerRefusal(_globalUntil - now, true, "global");
            }
            else if (!exemptFromGlobal && _injectGlobal is { } global)
            {
                _injectGlobal = null;
                _globalUntil = now + global;
                refusal = new DiscordPeerRefusal(global, true, "global");
            }
            else if (window.BlockedUntil > now)
            {
                EarlyRequests++;
                refusal = new DiscordPeerRefusal(window.BlockedUntil - now, false, "user");
            }
            else if (_injected.TryGetValue(operationId, out var queue) && queue.TryDequeue(out var injected))
            {
                window.BlockedUntil = now + injected;
                refusal = new DiscordPeerRefusal(injected, false, "user");
            }
            else if (window.Used >= limit)
            {
                EarlyRequests++;
                refusal = new DiscordPeerRefusal(window.ResetAt - now, false, "user");
            }
            else
            {
                window.Used++;
            }

            if (refusal is not null)
            {
                RateLimited++;
            }

            var resetAfter = window.ResetAt - now;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture),
                ["X-RateLimit-Remaining"] = Math.Max(0, limit - window.Used).ToString(CultureInfo.InvariantCulture),
                ["X-RateLimit-Reset"] = (window.ResetAt.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture),
                ["X-RateLimit-Reset-After"] = resetAfter.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),
                ["X-RateLimit-Bucket"] = BucketName(operationId),
            };
            if (refusal is not null)
            {
                headers["Retry-After"] = Math.Ceiling(refusal.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                headers["X-RateLimit-Scope"] = refusal.Scope;
                if (refusal.Global)
                {
                    headers["X-RateLimit-Global"] = "true";
                    // A global refusal is not a route's: Discord sends only the global headers with it.
                    foreach (var name in new[] { "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After", "X-RateLimit-Bucket" })
                    {
                        headers.Remove(name);
                    }
                }
            }

            return (refusal, headers);
        }
    }

    /// <summary>An opaque name, as Discord's are, that does not give the route away.</summary>
    internal static string BucketName(string operationId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(operationId)))[..16];

    private sealed class Window
    {
        public DateTimeOffset ResetAt { get; init; }

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

        public int Used { get; set; }
    }
}
