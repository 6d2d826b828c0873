using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Slack;

/// <summary>Slack log messages; EventIds 3100-3199 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3100, LogLevel.Warning, "Slack request to {Endpoint} refused: {Failure}", EventName = "SlackRequestRefused")]
    public static partial void RequestRefused(ILogger logger, SlackEndpoint endpoint, SlackVerificationFailure failure);

    [LoggerMessage(3101, LogLevel.Warning, "Slack request to {Endpoint} is malformed: {Reason}", EventName = "SlackRequestInvalid")]
    public static partial void RequestInvalid(ILogger logger, SlackEndpoint endpoint, string? reason);

    [LoggerMessage(3110, LogLevel.Warning, "Slack {Method} rate limited in {Channel}; retrying after {RetryAfter} (attempt {Attempt})", EventName = "SlackRateLimited")]
    public static partial void RateLimited(ILogger logger, string method, string? channel, TimeSpan retryAfter, int attempt);

    [LoggerMessage(3111, LogLevel.Error, "Slack {Method} still rate limited in {Channel} after {Attempts} attempts; giving up", EventName = "SlackRateLimitRetriesExhausted")]
    public static partial void RateLimitRetriesExhausted(ILogger logger, string method, string? channel, int attempts);

    [LoggerMessage(3112, LogLevel.Warning, "Slack {Method} failed ({Reason}); retrying in {Delay} (attempt {Attempt})", EventName = "SlackTransientFailure")]
    public static partial void TransientFailure(ILogger logger, string method, string reason, TimeSpan delay, int attempt);

    [LoggerMessage(3120, LogLevel.Warning, "Slack {Method} answered ok:false with {Error}", EventName = "SlackApiError")]
    public static partial void ApiError(ILogger logger, string method, string error);

    [LoggerMessage(3121, LogLevel.Debug, "Uploaded image {FileId} ({Length} bytes) to Slack", EventName = "SlackImageUploaded")]
    public static partial void ImageUploaded(ILogger logger, string fileId, int length);

    [LoggerMessage(3122, LogLevel.Warning, "Looking up Slack user {UserId} failed: {Error}; using the id as the name", EventName = "SlackUserLookupFailed")]
    public static partial void UserLookupFailed(ILogger logger, string userId, string error);

    [LoggerMessage(3130, LogLevel.Information, "Opening a Slack Socket Mode connection", EventName = "SlackSocketConnecting")]
    public static partial void SocketConnecting(ILogger logger);

    [LoggerMessage(3131, LogLevel.Information, "Slack Socket Mode connected", EventName = "SlackSocketConnected")]
    public static partial void SocketConnected(ILogger logger);

    [LoggerMessage(3132, LogLevel.Information, "Slack asked to disconnect ({Reason}); reconnecting", EventName = "SlackSocketDisconnectRequested")]
    public static partial void SocketDisconnectRequested(ILogger logger, string? reason);

    [LoggerMessage(3133, LogLevel.Warning, "Slack Socket Mode connection closed ({Status}: {Description})", EventName = "SlackSocketClosed")]
    public static partial void SocketClosed(ILogger logger, string status, string? description);

    [LoggerMessage(3134, LogLevel.Warning, "Slack Socket Mode connection failed", EventName = "SlackSocketFailed")]
    public static partial void SocketFailed(ILogger logger, Exception exception);

    [LoggerMessage(3135, LogLevel.Information, "Slack Socket Mode reconnecting in {Delay} after {Reason} (attempt {Attempt})", EventName = "SlackSocketReconnectScheduled")]
    public static partial void SocketReconnectScheduled(ILogger logger, string reason, TimeSpan delay, int attempt);

    [LoggerMessage(3136, LogLevel.Debug, "Slack Socket Mode envelope {EnvelopeType} ignored: {Reason}", EventName = "SlackSocketEnvelopeIgnored")]
    public static partial void SocketEnvelopeIgnored(ILogger logger, string envelopeType, string? reason);

    [LoggerMessage(3137, LogLevel.Error, "Handling Slack delivery {DeliveryId} failed", EventName = "SlackSocketHandlerFailed")]
    public static partial void SocketHandlerFailed(ILogger logger, string deliveryId, Exception exception);

    [LoggerMessage(3138, LogLevel.Information, "Slack delivery {DeliveryId} was already handled; skipped", EventName = "SlackSocketDuplicateDelivery")]
    public static partial void SocketDuplicateDelivery(ILogger logger, string deliveryId);

    [LoggerMessage(3139, LogLevel.Warning, "Looked through {Count} messages of {Channel} for an unconfirmed post without finding it; it will be posted", EventName = "SlackLookupGaveUp")]
    public static partial void LookupGaveUp(ILogger logger, string channel, int count);

    [LoggerMessage(3140, LogLevel.Warning, "Socket Mode envelope {EnvelopeId} was not kept within {Deadline}; acknowledged anyway so Slack does not redeliver it", EventName = "SlackSocketAckBeforeKept")]
    public static partial void SocketAckBeforeKept(ILogger logger, string envelopeId, TimeSpan deadline);

    [LoggerMessage(3141, LogLevel.Warning, "The inbox is full; Socket Mode delivery {DeliveryId} was dropped and its sender told to try again", EventName = "SlackSocketInboxFull")]
    public static partial void SocketInboxFull(ILogger logger, string deliveryId);

    [LoggerMessage(3142, LogLevel.Information, "Naming Slack user {UserId} skipped ({Reason}); the id stands in", EventName = "SlackNameLookupSkipped")]
    public static partial void NameLookupSkipped(ILogger logger, string userId, string reason);
}
