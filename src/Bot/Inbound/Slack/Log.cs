using ChatOps.Integrations.Slack;

namespace ChatOps.Bot.Inbound.Slack;

internal static partial class Log
{
    [LoggerMessage(1300, LogLevel.Debug, "Slack {Endpoint} delivery {DeliveryId} kept in the inbox", EventName = "SlackDeliveryKept")]
    public static partial void DeliveryKept(ILogger logger, SlackEndpoint endpoint, string deliveryId);

    [LoggerMessage(1301, LogLevel.Information, "Slack redelivered {DeliveryId} (retry {RetryNum}, {RetryReason}); it runs at most once", EventName = "SlackRedelivery")]
    public static partial void Redelivery(ILogger logger, string deliveryId, string retryNum, string retryReason);

    [LoggerMessage(1302, LogLevel.Warning, "The inbox is full; Slack {Endpoint} delivery {DeliveryId} answered 503 so Slack retries it", EventName = "SlackInboxFull")]
    public static partial void InboxFull(ILogger logger, SlackEndpoint endpoint, string deliveryId);

    [LoggerMessage(1303, LogLevel.Debug, "Slack {Endpoint} delivery ignored: {Reason}", EventName = "SlackDeliveryIgnored")]
    public static partial void DeliveryIgnored(ILogger logger, SlackEndpoint endpoint, string? reason);

    [LoggerMessage(1304, LogLevel.Information, "Slack URL verification answered", EventName = "SlackUrlVerified")]
    public static partial void UrlVerified(ILogger logger);
}
