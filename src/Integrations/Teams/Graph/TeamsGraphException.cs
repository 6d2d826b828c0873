using System.Net;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>
/// A Microsoft Graph lookup that could not say whether a post is there: Graph's error (its <c>error.code</c>), no
/// answer, or a conversation Graph cannot be asked about. <see cref="IsPermanent"/> when asking again cannot help (403:
/// the resource-specific consent was not granted; 404; no Graph address), so the outbox posts rather than wait.
/// </summary>
internal sealed class TeamsGraphException : Exception, IChatSendFailure
{
    public TeamsGraphException(string message, bool permanent, HttpStatusCode? statusCode = null, string? code = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsPermanent = permanent;
        StatusCode = statusCode;
        Code = code;
        RetryAfter = retryAfter;
    }

    public TeamsGraphException()
        : this("The Microsoft Graph lookup failed.", permanent: false)
    {
    }

    public TeamsGraphException(string message)
        : this(message, permanent: false)
    {
    }

    public TeamsGraphException(string message, Exception innerException)
        : this(message, permanent: false, innerException: innerException)
    {
    }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>Graph's <c>error.code</c> (<c>Forbidden</c>, <c>NotFound</c>…), when it sent one.</summary>
    public string? Code { get; }

    public TimeSpan? RetryAfter { get; }

    public bool IsPermanent { get; }

    /// <summary>Whether Graph refused the app access to the conversation's messages (the consent is missing).</summary>
    public bool IsRefusal => StatusCode is HttpStatusCode.Forbidden;

    /// <summary>4xx other than 408 and 429 stay as they are when asked again.</summary>
    public static bool IsPermanentStatus(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
}
