using Microsoft.Extensions.Logging;

namespace ChatOps.Radiator.Events;

internal static partial class Log
{
    [LoggerMessage(EventId = 2000, EventName = "EventsStored", Level = LogLevel.Debug, Message = "Stored {Count} events in {Rollups} minute roll-ups")]
    public static partial void EventsStored(ILogger logger, int count, int rollups);

    [LoggerMessage(EventId = 2001, EventName = "RetentionApplied", Level = LogLevel.Debug, Message = "Retention deleted {Events} events and {Rollups} roll-ups")]
    public static partial void RetentionApplied(ILogger logger, int events, int rollups);

    [LoggerMessage(EventId = 2002, EventName = "IngestRejectedLines", Level = LogLevel.Information, Message = "Ingest kept {Accepted} events and refused {Rejected} lines; first refusal at line {Line}: {Reason}")]
    public static partial void IngestRejectedLines(ILogger logger, int accepted, int rejected, int line, string reason);

    [LoggerMessage(EventId = 2003, EventName = "RetentionFailed", Level = LogLevel.Warning, Message = "Applying event retention failed; it is retried at the next interval")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2004, EventName = "ElasticsearchMeasureFailed", Level = LogLevel.Warning, Message = "Measuring {Kpi} in Elasticsearch failed")]
    public static partial void ElasticsearchMeasureFailed(ILogger logger, string kpi, Exception exception);
}
