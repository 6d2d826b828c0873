using Microsoft.Extensions.Logging;

namespace ChatOps.Radiator.Simulation;

internal static partial class Log
{
    [LoggerMessage(EventId = 2050, EventName = "SimulatorStarted", Level = LogLevel.Information, Message = "TV show simulator feeding the embedded event store (seed {Seed})")]
    public static partial void SimulatorStarted(ILogger logger, int seed);

    [LoggerMessage(EventId = 2051, EventName = "SimulatorWriteFailed", Level = LogLevel.Warning, Message = "Writing simulated events failed; the period is retried at the next tick")]
    public static partial void SimulatorWriteFailed(ILogger logger, Exception exception);
}
