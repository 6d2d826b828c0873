namespace ChatOps.Bot.Inbound.Discord;

internal static partial class Log
{
    [LoggerMessage(1350, LogLevel.Debug, "Discord PING answered", EventName = "DiscordPingAnswered")]
    public static partial void PingAnswered(ILogger logger);

    [LoggerMessage(1352, LogLevel.Warning, "Discord interaction of type {Type} refused: {Reason}", EventName = "DiscordInteractionRefused")]
    public static partial void InteractionRefused(ILogger logger, int type, string reason);
}
