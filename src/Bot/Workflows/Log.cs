namespace ChatOps.Bot.Workflows;

internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Run {RunId} started: {Verb} {Environment} for {Requester}", EventName = "RunStarted")]
    public static partial void RunStarted(ILogger logger, long runId, string verb, string environment, string requester);

    [LoggerMessage(1001, LogLevel.Information, "Run {RunId} finished as {Status}: {Result}", EventName = "RunFinished")]
    public static partial void RunFinished(ILogger logger, long runId, string status, string result);

    [LoggerMessage(1002, LogLevel.Error, "Run {RunId} failed unexpectedly", EventName = "RunCrashed")]
    public static partial void RunCrashed(ILogger logger, long runId, Exception exception);

    [LoggerMessage(1003, LogLevel.Warning, "Could not queue the chat message of run {RunId}", EventName = "RunMessageFailed")]
    public static partial void MessageFailed(ILogger logger, long runId, Exception exception);

    [LoggerMessage(1004, LogLevel.Warning, "Run {RunId} lost its lease on {Environment}; stopping it", EventName = "RunLeaseLost")]
    public static partial void LeaseLost(ILogger logger, long runId, string environment);

    [LoggerMessage(3820, LogLevel.Error, "Looking for runs left by a replica that died failed; the next look tries again", EventName = "RunRecoverySweepFailed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(1005, LogLevel.Warning, "Run {RunId} on {Environment} was left in flight; marked interrupted", EventName = "RunInterrupted")]
    public static partial void RunInterrupted(ILogger logger, long runId, string environment);

    [LoggerMessage(1006, LogLevel.Error, "Reconciling {Environment} after a restart failed", EventName = "ReconcileFailed")]
    public static partial void ReconcileFailed(ILogger logger, string environment, Exception exception);

    [LoggerMessage(1007, LogLevel.Warning, "A run observer failed for run {RunId}", EventName = "RunObserverFailed")]
    public static partial void ObserverFailed(ILogger logger, long runId, Exception exception);

    [LoggerMessage(1008, LogLevel.Information, "Run {RunId} finished as {Status} before a restart without being announced; announcing it now", EventName = "RunObserversCaughtUp")]
    public static partial void ObserversCaughtUp(ILogger logger, long runId, string status);

    [LoggerMessage(1009, LogLevel.Warning, "Announcing runs that finished before the restart failed; they are tried again at the next start", EventName = "RunObserversCatchUpFailed")]
    public static partial void CatchUpFailed(ILogger logger, Exception exception);

    // Its id and name are those it had when expiry lived with the decisions, so log queries keep finding it.
    [LoggerMessage(1100, LogLevel.Error, "Expiring decisions failed", EventName = "DecisionExpiryFailed")]
    public static partial void ExpiryFailed(ILogger logger, Exception exception);
}
