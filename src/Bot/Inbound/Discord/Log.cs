namespace ChatOps.Bot.Inbound.Discord;

internal static partial class Log
{
    [LoggerMessage(1350, LogLevel.Debug, "Discord PING answered", EventName = "DiscordPingAnswered")]
    public static partial void PingAnswered(ILogger logger);

    [LoggerMessage(1351, LogLevel.Information, "Discord interaction of type {Type} refused: not handled yet", EventName = "DiscordInteractionNotHandled")]
    public static partial void InteractionNotHandled(ILogger logger, int type);
}
