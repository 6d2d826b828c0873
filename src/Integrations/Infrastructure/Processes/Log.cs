using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Infrastructure.Processes;

internal static partial class Log
{
    [LoggerMessage(EventId = 3200, EventName = "ProcessStarted", Level = LogLevel.Debug, Message = "Started {Program} as process {ProcessId}")]
    public static partial void ProcessStarted(ILogger logger, string program, int processId);

    [LoggerMessage(EventId = 3201, EventName = "ProcessExited", Level = LogLevel.Debug, Message = "{Program} (process {ProcessId}) exited with code {ExitCode}")]
    public static partial void ProcessExited(ILogger logger, string program, int processId, int exitCode);

    [LoggerMessage(EventId = 3202, EventName = "ProcessTreeKilled", Level = LogLevel.Information, Message = "Killing {Program} (process {ProcessId}) and every process it started")]
    public static partial void KillingTree(ILogger logger, string program, int processId);

    [LoggerMessage(EventId = 3203, EventName = "ProcessTimedOut", Level = LogLevel.Warning, Message = "{Program} (process {ProcessId}) did not finish within {Timeout}")]
    public static partial void ProcessTimedOut(ILogger logger, string program, int processId, TimeSpan timeout);

    [LoggerMessage(EventId = 3204, EventName = "ProcessOutputStillOpen", Level = LogLevel.Debug, Message = "{Program} (process {ProcessId}) exited but a process it started still holds its output open; not waiting for it")]
    public static partial void OutputStillOpen(ILogger logger, string program, int processId);
}
