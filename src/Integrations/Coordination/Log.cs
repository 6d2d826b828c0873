using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Coordination;

/// <summary>Replica and schedule-lease log messages; EventIds 3800-3829 are reserved for coordination, 3885-3889 for the replica count, its settings and its clock.</summary>
internal static partial class Log
{
    [LoggerMessage(3800, LogLevel.Information, "Replica {Replica} (process {ProcessId} on {Host}) joined the replicas sharing the state store", EventName = "ReplicaRegistered")]
    public static partial void Registered(ILogger logger, string replica, string host, int processId);

    [LoggerMessage(3801, LogLevel.Information, "Replica {Replica} left the replicas cleanly; its schedules pass to the others at their next tick", EventName = "ReplicaRemoved")]
    public static partial void Removed(ILogger logger, string replica);

    [LoggerMessage(3802, LogLevel.Warning, "Replica {Replica} could not say it left; the others hold it dead once its heartbeat is old", EventName = "ReplicaRemoveFailed")]
    public static partial void RemoveFailed(ILogger logger, string replica, Exception exception);

    [LoggerMessage(3803, LogLevel.Warning, "Replica {Replica} missed a heartbeat (state store busy or unreachable?); it tries again at the next", EventName = "ReplicaBeatFailed")]
    public static partial void BeatFailed(ILogger logger, string replica, Exception exception);

    [LoggerMessage(3804, LogLevel.Information, "Forgot {Count} replicas silent for a day", EventName = "ReplicasForgotten")]
    public static partial void Forgotten(ILogger logger, int count);

    [LoggerMessage(3810, LogLevel.Information, "Replica {Replica} runs the {Schedule} schedule now (fencing token {Token})", EventName = "ScheduleTaken")]
    public static partial void ScheduleTaken(ILogger logger, string schedule, string replica, long token);

    [LoggerMessage(3811, LogLevel.Warning, "Replica {Replica} lost the {Schedule} schedule to another replica; it skips its ticks while the other holds it", EventName = "ScheduleLost")]
    public static partial void ScheduleLost(ILogger logger, string schedule, string replica);

    [LoggerMessage(3886, LogLevel.Warning, "Replica {Replica} shares the state store with replicas whose settings differ where they must match; {Differences}. Set them alike on every replica (README, Several replicas)", EventName = "ReplicaSettingsDiffer")]
    public static partial void SettingsDiffer(ILogger logger, string replica, string differences);

    [LoggerMessage(3887, LogLevel.Warning, "Replica {Replica}: {Problem}. Synchronise the clocks (NTP): an answer given at once may miss a command another replica just finished", EventName = "ReplicaClockOff")]
    public static partial void ClockOff(ILogger logger, string replica, string problem);

    [LoggerMessage(3888, LogLevel.Information, "Replica {Replica}'s clock agrees with the database server's again", EventName = "ReplicaClockAgrees")]
    public static partial void ClockAgrees(ILogger logger, string replica);

    [LoggerMessage(3885, LogLevel.Information, "Replica {Replica} counts {Count} live replicas sharing the state store; each destination's send budget is divided among them", EventName = "LiveReplicasChanged")]
    public static partial void LiveReplicasChanged(ILogger logger, string replica, int count);
}
