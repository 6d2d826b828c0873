using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>Discord interaction log messages; EventIds 3630-3639.</summary>
internal static partial class Log
{
    [LoggerMessage(3630, LogLevel.Information, "Discord interaction {InteractionId} ({Kind}) kept for {Destination}", EventName = "DiscordInteractionKept")]
    public static partial void InteractionKept(ILogger logger, string interactionId, DiscordInteractionKind kind, string destination);

    [LoggerMessage(3631, LogLevel.Information, "Discord interaction {InteractionId} ({Kind}) was kept already: a retry, answered again and run once", EventName = "DiscordInteractionRepeated")]
    public static partial void InteractionRepeated(ILogger logger, string interactionId, DiscordInteractionKind kind);

    [LoggerMessage(3632, LogLevel.Warning, "Discord interaction {InteractionId} ({Kind}) not kept: the inbox is full; the asker is told to try again", EventName = "DiscordInteractionBusy")]
    public static partial void InteractionBusy(ILogger logger, string interactionId, DiscordInteractionKind kind);
}
