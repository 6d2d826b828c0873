namespace ChatOps.Bot.Commands.Alerts;

internal static partial class Log
{
    [LoggerMessage(1400, LogLevel.Information, "Alert button {Action} pressed on alert {AlertId} by {PrincipalId}", EventName = "AlertButtonPressed")]
    public static partial void AlertButton(ILogger logger, string action, long alertId, string principalId);
}
