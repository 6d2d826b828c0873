namespace ChatOps.Bot.Watch;

internal static partial class Log
{
    [LoggerMessage(1700, LogLevel.Warning, "{Environment} degraded (incident {IncidentId}): {Problems}", EventName = "DriftIncidentOpened")]
    public static partial void IncidentOpened(ILogger logger, string environment, long incidentId, string problems);

    [LoggerMessage(1701, LogLevel.Warning, "{Environment} still degraded (incident {IncidentId}), now: {Problems}", EventName = "DriftIncidentChanged")]
    public static partial void IncidentChanged(ILogger logger, string environment, long incidentId, string problems);

    [LoggerMessage(1702, LogLevel.Information, "{Environment} recovered (incident {IncidentId})", EventName = "DriftIncidentRecovered")]
    public static partial void IncidentRecovered(ILogger logger, string environment, long incidentId);

    [LoggerMessage(1703, LogLevel.Information, "{Environment}'s incident {IncidentId} ended by {Run}", EventName = "DriftIncidentEndedByRun")]
    public static partial void IncidentEndedByRun(ILogger logger, string environment, long incidentId, string run);

    [LoggerMessage(1704, LogLevel.Information, "{Environment} is still degraded (incident {IncidentId}, opened before this start): announced already", EventName = "DriftIncidentStillOpen")]
    public static partial void IncidentStillOpen(ILogger logger, string environment, long incidentId);

    [LoggerMessage(3821, LogLevel.Warning, "Could not tell whether this replica runs the drift watch (state store unreachable?); it asks again at the next interval", EventName = "DriftWatchScheduleUnknown")]
    public static partial void ScheduleUnknown(ILogger logger, Exception exception);

    [LoggerMessage(1705, LogLevel.Warning, "Watching {Environment} failed; tried again at the next interval", EventName = "DriftCheckFailed")]
    public static partial void CheckFailed(ILogger logger, string environment, Exception exception);

    [LoggerMessage(1706, LogLevel.Debug, "Drift notice for {Environment} (incident {IncidentId}) queued for {Destination}", EventName = "DriftNoticeQueued")]
    public static partial void NoticeQueued(ILogger logger, string environment, long incidentId, string destination);
}
