using System.Net;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>
/// A Connector call (or the token it needs) that failed: the Connector's <c>ErrorResponse</c> code and message, an
/// HTTP error, a conversation the bot has never seen, or an answer that never came. Says whether trying again can
/// help and how long the Connector asked us to wait.
/// </summary>
internal sealed class TeamsConnectorException : Exception, IChatSendFailure
{
    public TeamsConnectorException(string message, bool permanent, HttpStatusCode? statusCode = null, string? code = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsPermanent = permanent;
        StatusCode = statusCode;
        Code = code;
        RetryAfter = retryAfter;
    }

    public TeamsConnectorException()
        : this("The Teams Connector call failed.", permanent: false)
    {
    }

    public TeamsConnectorException(string message)
        : this(message, permanent: false)
    {
    }

    public TeamsConnectorException(string message, Exception innerException)
        : this(message, permanent: false, innerException: innerException)
    {
    }

    /// <summary>The HTTP status of the Connector's answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The Connector's error code (<c>BadArgument</c>, <c>ConversationNotFound</c>…), when it sent one.</summary>
    public string? Code { get; }

    public TimeSpan? RetryAfter { get; }

    public bool IsPermanent { get; }

    /// <summary>
    /// Whether the Connector may have acted on the request although the call failed: no answer came (timeout,
    /// dropped connection) or it answered 5xx, which the Connector also does after it has delivered a message.
    /// </summary>
    public bool OutcomeUnknown => !IsPermanent && (StatusCode is null or >= HttpStatusCode.InternalServerError);

    /// <summary>The failure of an answer: 4xx other than 408, 412 and 429 cannot succeed on retry; the rest may.</summary>
    public static bool IsPermanentStatus(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.PreconditionFailed or HttpStatusCode.TooManyRequests);

    /// <summary>A <c>teams:</c> destination whose conversation the bot has never been added to or spoken in.</summary>
    public static TeamsConnectorException UnknownConversation(string conversationId) => new(
        $"The bot has never been in Teams conversation '{conversationId}': it can post only where it was added or spoken to, so add the app there first.",
        permanent: true);
}
