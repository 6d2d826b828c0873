using ChatOps.Integrations.Chat.Inbox;

namespace ChatOps.Bot.Inbound.Teams;

internal static partial class Log
{
    [LoggerMessage(1420, LogLevel.Debug, "Teams activity {ActivityId} kept in the inbox ({Admission})", EventName = "TeamsActivityKept")]
    public static partial void ActivityKept(ILogger logger, string? activityId, InboxAdmission admission);

    [LoggerMessage(1421, LogLevel.Warning, "The inbox is full; Teams activity {ActivityId} answered busy so it is sent again", EventName = "TeamsInboxFull")]
    public static partial void InboxFull(ILogger logger, string? activityId);

    [LoggerMessage(1422, LogLevel.Information, "Teams activity {ActivityId} refused: {Reason}", EventName = "TeamsSenderUnidentified")]
    public static partial void Unidentified(ILogger logger, string? activityId, string? reason);

    [LoggerMessage(1423, LogLevel.Debug, "Teams activity {ActivityId} acknowledged, nothing to do: {Reason}", EventName = "TeamsActivityIgnored")]
    public static partial void Ignored(ILogger logger, string? activityId, string? reason);
}
