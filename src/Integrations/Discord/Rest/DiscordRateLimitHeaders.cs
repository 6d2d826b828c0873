using System.Globalization;
using System.Net;
using System.Text.Json;

namespace ChatOps.Integrations.Discord.Rest;

/// <summary>Reads Discord's rate-limit headers and the body of a 429 (rate-limits topic, "Exceeding A Rate Limit").</summary>
internal static class DiscordRateLimitHeaders
{
    /// <summary>Used when a 429 names no wait at all, which Discord's documentation says does not happen.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The refusal a 429 carries: <c>retry_after</c> (seconds, with decimals) from the JSON body, else the
    /// <c>Retry-After</c> header; global when <c>X-RateLimit-Global</c>, <c>X-RateLimit-Scope: global</c> or the body's
    /// <c>global</c> says so. The body is buffered, so it can still be read for the error afterwards.
    /// </summary>
    public static async Task<DiscordRateLimitRefusal?> RefusalOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return null;
        }

        TimeSpan? retryAfter = null;
        var bodyGlobal = false;
        if (response.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
            try
            {
                using var document = JsonDocument.Parse(await content.ReadAsStringAsync(cancellationToken));
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("retry_after", out var after) && after.ValueKind == JsonValueKind.Number && after.TryGetDouble(out var seconds) && seconds >= 0)
                    {
                        retryAfter = TimeSpan.FromSeconds(seconds);
                    }

                    bodyGlobal = root.TryGetProperty("global", out var globalFlag) && globalFlag.ValueKind == JsonValueKind.True;
                }
            }
            catch (JsonException)
            {
                // A 429 from a proxy in front of Discord has no JSON body; the headers still say how long.
            }
        }

        retryAfter ??= response.Headers.RetryAfter?.Delta ?? Seconds(Header(response, "Retry-After")) ?? DefaultRetryAfter;
        var scope = Header(response, "X-RateLimit-Scope") ?? (bodyGlobal ? "global" : "user");
        var global = bodyGlobal
            || string.Equals(Header(response, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(scope, "global", StringComparison.OrdinalIgnoreCase);
        return new DiscordRateLimitRefusal(retryAfter.Value, global, scope);
    }

    public static int? Integer(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    public static TimeSpan? Seconds(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
