using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord;

/// <summary>Discord log messages; EventIds 3600-3649 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3600, LogLevel.Warning, "Discord interaction request refused: {Failure}", EventName = "DiscordRequestRefused")]
    public static partial void RequestRefused(ILogger logger, DiscordVerificationFailure failure);

    [LoggerMessage(3601, LogLevel.Warning, "Discord interaction request is malformed: {Reason}", EventName = "DiscordRequestInvalid")]
    public static partial void RequestInvalid(ILogger logger, string? reason);
}
