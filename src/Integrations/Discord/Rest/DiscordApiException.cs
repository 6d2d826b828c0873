using System.Net;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Discord.Rest;

/// <summary>
/// A REST call Discord refused or could not carry out: the HTTP status, Discord's JSON error <see cref="Code"/> and
/// <see cref="DiscordMessage"/>, and each field it objected to as a readable path (<c>embeds[0].description: Must be
/// 4096 or fewer in length. (BASE_TYPE_MAX_LENGTH)</c>). For the outbox, it says whether trying again can help.
/// </summary>
public sealed class DiscordApiException : Exception, IChatSendFailure
{
    internal DiscordApiException(DiscordRoute route, HttpStatusCode statusCode, int? code, string discordMessage, IReadOnlyList<string> fieldErrors, DiscordRateLimitRefusal? refusal = null, Exception? innerException = null)
        : base(Describe(route, statusCode, code, discordMessage, fieldErrors), innerException)
    {
        Route = route;
        StatusCode = statusCode;
        Code = code;
        DiscordMessage = discordMessage;
        FieldErrors = fieldErrors;
        RetryAfter = refusal?.RetryAfter;
        IsGlobalRateLimit = refusal?.Global ?? false;
    }

    internal DiscordRoute Route { get; }

    /// <summary>The route that failed, e.g. <c>PUT /applications/{application_id}/commands</c>.</summary>
    public string RouteName => Route.Key;

    public HttpStatusCode StatusCode { get; }

    /// <summary>Discord's JSON error code (opcodes-and-status-codes topic, "JSON Error Codes"), e.g. 50035 Invalid Form Body; null when the body had none.</summary>
    public int? Code { get; }

    /// <summary>Discord's own words for the error, e.g. "Invalid Form Body".</summary>
    public string DiscordMessage { get; }

    /// <summary>The <c>errors</c> object flattened: one <c>path: message (CODE)</c> per refused field.</summary>
    public IReadOnlyList<string> FieldErrors { get; }

    /// <summary>How long Discord asked us to wait, for a 429 the client did not sit out.</summary>
    public TimeSpan? RetryAfter { get; }

    public bool IsGlobalRateLimit { get; }

    /// <summary>A global 429 holds back every channel, so the outbox pauses the whole platform for every replica.</summary>
    bool IChatSendFailure.RetryAfterIsPlatformWide => IsGlobalRateLimit;

    /// <summary>
    /// A request Discord refused as such (bad token, missing permission, unknown channel, invalid body: any 4xx but
    /// 429 and 408) fails the same way every time; a rate limit, a timeout or a server error may pass later.
    /// </summary>
    public bool IsPermanent => (int)StatusCode is >= 400 and < 500 && StatusCode is not HttpStatusCode.TooManyRequests and not HttpStatusCode.RequestTimeout;

    private static string Describe(DiscordRoute route, HttpStatusCode status, int? code, string message, IReadOnlyList<string> fieldErrors)
    {
        var text = $"Discord {route.Key} failed: HTTP {(int)status}{(code is null ? "" : $", code {code}")}: {message}";
        return fieldErrors.Count == 0 ? text : $"{text} ({string.Join("; ", fieldErrors)})";
    }
}
