namespace ChatOps.Bot.Conversations;

internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Error, "Expiring decisions failed", EventName = "DecisionExpiryFailed")]
    public static partial void ExpiryFailed(ILogger logger, Exception exception);
}
