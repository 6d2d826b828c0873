using ChatOps.Integrations.Slack;

namespace ChatOps.Bot.Inbound.Slack;

internal static partial class Log
{
    [LoggerMessage(1300, LogLevel.Debug, "Slack {Endpoint} delivery {DeliveryId} queued", EventName = "SlackDeliveryQueued")]
    public static partial void DeliveryQueued(ILogger logger, SlackEndpoint endpoint, string deliveryId);

    [LoggerMessage(1301, LogLevel.Information, "Slack redelivered {DeliveryId} (retry {RetryNum}, {RetryReason}); it runs at most once", EventName = "SlackRedelivery")]
    public static partial void Redelivery(ILogger logger, string deliveryId, string retryNum, string retryReason);

    [LoggerMessage(1302, LogLevel.Warning, "The inbound queue is full; Slack {Endpoint} delivery {DeliveryId} answered 503 so Slack retries it", EventName = "SlackQueueFull")]
    public static partial void QueueFull(ILogger logger, SlackEndpoint endpoint, string deliveryId);

    [LoggerMessage(1303, LogLevel.Debug, "Slack {Endpoint} delivery ignored: {Reason}", EventName = "SlackDeliveryIgnored")]
    public static partial void DeliveryIgnored(ILogger logger, SlackEndpoint endpoint, string? reason);

    [LoggerMessage(1304, LogLevel.Information, "Slack URL verification answered", EventName = "SlackUrlVerified")]
    public static partial void UrlVerified(ILogger logger);

    [LoggerMessage(1310, LogLevel.Warning, "The inbound queue is full; Socket Mode delivery {DeliveryId} was dropped and its sender told to try again", EventName = "SlackSocketQueueFull")]
    public static partial void SocketQueueFull(ILogger logger, string deliveryId);

    [LoggerMessage(1311, LogLevel.Information, "Naming Slack user {UserId} skipped ({Reason}); the id stands in", EventName = "SlackNameLookupSkipped")]
    public static partial void NameLookupSkipped(ILogger logger, string userId, string reason);
}
