using ChatOps.Integrations.Chat;
using System.Net;

namespace ChatOps.Integrations.Slack;

/// <summary>What kind of failure a Slack <c>error</c> code is, so callers can decide without string matching.</summary>
internal enum SlackErrorKind
{
    Other,

    /// <summary>Bad, revoked or under-scoped token: retrying will not help; fix the configuration.</summary>
    Authentication,

    /// <summary>The channel, message or user does not exist or the bot cannot see it.</summary>
    NotFound,

    /// <summary>Too many requests; <see cref="SlackApiException.RetryAfter"/> says when to try again.</summary>
    RateLimited,

    /// <summary>The request itself was refused (bad blocks, text too long, missing argument).</summary>
    InvalidRequest,

    /// <summary>Slack had a problem; the same request may succeed later.</summary>
    Transient,
}

/// <summary>
/// A Web API call that failed: <c>ok: false</c> with Slack's <c>error</c> code, an HTTP error, or
/// rate limiting that outlasted our retries.
/// </summary>
internal sealed class SlackApiException : Exception, IChatSendFailure
{
    public SlackApiException(string method, string error, HttpStatusCode? statusCode = null, TimeSpan? retryAfter = null, string? needed = null, string? provided = null, Exception? innerException = null)
        : base($"Slack {method} failed: {error}{(needed is null ? "" : $" (needed {needed}, provided {provided})")}.", innerException)
    {
        Method = method;
        Error = error;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        Needed = needed;
        Provided = provided;
    }

    /// <summary>The Web API method, for instance <c>chat.postMessage</c>.</summary>
    public string Method { get; }

    /// <summary>Slack's error code (<c>channel_not_found</c>, <c>ratelimited</c>), or <c>http_&lt;status&gt;</c>.</summary>
    public string Error { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>How long Slack asked us to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>For the outbox: a bad token, a missing channel or a rejected request will not succeed on retry.</summary>
    public bool IsPermanent => Kind is SlackErrorKind.Authentication or SlackErrorKind.NotFound or SlackErrorKind.InvalidRequest;

    /// <summary>The scope that was missing, for <c>missing_scope</c>.</summary>
    public string? Needed { get; }

    public string? Provided { get; }

    public SlackErrorKind Kind => Classify(Error, StatusCode);

    internal static SlackErrorKind Classify(string error, HttpStatusCode? status) => error switch
    {
        "ratelimited" or "rate_limited" => SlackErrorKind.RateLimited,
        "not_authed" or "invalid_auth" or "account_inactive" or "token_revoked" or "token_expired" or "no_permission"
            or "missing_scope" or "not_allowed_token_type" or "ekm_access_denied" or "access_denied" => SlackErrorKind.Authentication,
        "channel_not_found" or "message_not_found" or "user_not_found" or "users_not_found" or "not_in_channel"
            or "is_archived" or "file_not_found" or "cant_update_message" or "edit_window_closed" => SlackErrorKind.NotFound,
        "invalid_blocks" or "invalid_blocks_format" or "msg_too_long" or "no_text" or "too_many_attachments" or "invalid_arguments"
            or "invalid_arg_name" or "invalid_array_arg" or "invalid_charset" or "invalid_form_data" or "invalid_post_type"
            or "missing_post_type" or "missing_argument" or "invalid_json" or "json_not_object" => SlackErrorKind.InvalidRequest,
        "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout" or "team_added_to_org" => SlackErrorKind.Transient,
        _ when status is HttpStatusCode.TooManyRequests => SlackErrorKind.RateLimited,
        _ when status is >= HttpStatusCode.InternalServerError => SlackErrorKind.Transient,
        _ when status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => SlackErrorKind.Authentication,
        _ => SlackErrorKind.Other,
    };
}
