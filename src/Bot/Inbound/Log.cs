namespace ChatOps.Bot.Inbound;

internal static partial class Log
{
    [LoggerMessage(1200, LogLevel.Error, "Handling a message from {Sender} failed", EventName = "InboundHandlingFailed")]
    public static partial void HandlingFailed(ILogger logger, string sender, Exception exception);
}
