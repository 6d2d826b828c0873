namespace ChatOps.Bot.Inbound;

internal static partial class Log
{
    [LoggerMessage(1200, LogLevel.Error, "Handling a message from {Sender} failed", EventName = "InboundHandlingFailed")]
    public static partial void HandlingFailed(ILogger logger, string sender, Exception exception);

    [LoggerMessage(1207, LogLevel.Warning, "Refused button {ActionId} pressed on message {MessageId} in {Destination}: the button is on message {CarrierMessageId} in {Carrier}", EventName = "ButtonPressRefused")]
    public static partial void PressRefused(ILogger logger, string actionId, string messageId, string destination, string? carrierMessageId, string carrier);

    [LoggerMessage(1202, LogLevel.Error, "Delivery {DeliveryId} could not be marked done; after a restart its sender hears it may not have finished", EventName = "InboxFinishFailed")]
    public static partial void FinishFailed(ILogger logger, string deliveryId, Exception exception);

    [LoggerMessage(1203, LogLevel.Warning, "Delivery {DeliveryId} was being handled when the bot stopped; it is not run again and its sender is told", EventName = "InboxInterrupted")]
    public static partial void Interrupted(ILogger logger, string deliveryId);


    [LoggerMessage(1206, LogLevel.Error, "Delivery {DeliveryId} in the inbox could not be read; it is closed without running", EventName = "InboxUnreadable")]
    public static partial void Unreadable(ILogger logger, string deliveryId);

    [LoggerMessage(1208, LogLevel.Warning, "Refused button {ActionId} pressed by {PrincipalId}: it was offered to {OfferedTo}", EventName = "OfferedButtonRefused")]
    public static partial void OfferRefused(ILogger logger, string actionId, string principalId, string offeredTo);

    [LoggerMessage(1209, LogLevel.Debug, "Answering \"{Text}\" as it was received failed or took too long; it takes the queue", EventName = "QueryAnswerDeferred")]
    public static partial void QueryDeferred(ILogger logger, string text, Exception? exception);
}
