using Microsoft.Extensions.Logging;

namespace ChatOps.Radiator.Pulse;

internal static partial class Log
{
    [LoggerMessage(EventId = 2100, EventName = "PulseSourceFailed", Level = LogLevel.Warning, Message = "The {Source} event source failed measuring {Kpi}")]
    public static partial void SourceFailed(ILogger logger, string source, string kpi, Exception exception);

    [LoggerMessage(EventId = 2101, EventName = "PulseSourceRecovered", Level = LogLevel.Information, Message = "The {Source} event source answers again")]
    public static partial void SourceRecovered(ILogger logger, string source);

    [LoggerMessage(EventId = 2102, EventName = "PulseQuiet", Level = LogLevel.Debug, Message = "Pulse for {Kpi} not posted: {Outcome}")]
    public static partial void PulseQuiet(ILogger logger, string kpi, PulseOutcome outcome);

    [LoggerMessage(EventId = 2104, EventName = "PulseFailed", Level = LogLevel.Error, Message = "A pulse round failed; the next tick tries again")]
    public static partial void PulseFailed(ILogger logger, Exception exception);
}
