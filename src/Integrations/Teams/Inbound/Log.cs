using ChatOps.Integrations.Teams.Authentication;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Teams.Inbound;

/// <summary>Teams inbound log messages; EventIds 3720-3739 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3720, LogLevel.Warning, "Teams request refused: {Failure}", EventName = "TeamsRequestRefused")]
    public static partial void RequestRefused(ILogger logger, BotFrameworkTokenFailure failure);

    [LoggerMessage(3721, LogLevel.Warning, "Teams activity is malformed: {Reason}", EventName = "TeamsRequestInvalid")]
    public static partial void RequestInvalid(ILogger logger, string reason);

    [LoggerMessage(3722, LogLevel.Debug, "Teams {Type} activity {ActivityId} verified and read as {Kind}", EventName = "TeamsActivityRead")]
    public static partial void ActivityRead(ILogger logger, string type, string? activityId, TeamsInboundKind kind);
}
