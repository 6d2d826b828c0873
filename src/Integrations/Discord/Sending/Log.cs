using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord.Sending;

/// <summary>Discord sending log messages; EventIds 3640-3649.</summary>
internal static partial class Log
{
    [LoggerMessage(3640, LogLevel.Information, "Discord interaction {InteractionId}'s original response is message {MessageId}, filled by {Key}", EventName = "DiscordOriginalFilled")]
    public static partial void OriginalFilled(ILogger logger, string interactionId, string messageId, string key);

    [LoggerMessage(3641, LogLevel.Information, "Discord interaction {InteractionId} answered for its asker alone with follow-up {MessageId} ({Key})", EventName = "DiscordAnsweredPrivately")]
    public static partial void AnsweredPrivately(ILogger logger, string interactionId, string messageId, string key);

    [LoggerMessage(3642, LogLevel.Warning, "Discord interaction {InteractionId}'s token is unknown or expired: {Key} is posted as a message of its own", EventName = "DiscordInteractionTokenGone")]
    public static partial void InteractionTokenGone(ILogger logger, string interactionId, string key);

    [LoggerMessage(3643, LogLevel.Warning, "Discord could not start a thread under message {MessageId}; the rest of its text goes to the thread with its id", EventName = "DiscordThreadNotStarted")]
    public static partial void ThreadNotStarted(ILogger logger, Exception exception, string messageId);
}
