using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Infrastructure.Local;

internal static partial class Log
{
    [LoggerMessage(3300, LogLevel.Information, "Started node {Environment}/{Node} as process {ProcessId} on port {Port}, version {Version}", EventName = "LocalNodeStarted")]
    public static partial void NodeStarted(ILogger logger, string environment, string node, int processId, int port, string version);

    [LoggerMessage(3301, LogLevel.Information, "Stopped node {Environment}/{Node} (process {ProcessId})", EventName = "LocalNodeStopped")]
    public static partial void NodeStopped(ILogger logger, string environment, string node, int processId);

    [LoggerMessage(3302, LogLevel.Warning, "Reconciled {Environment}: {Action}", EventName = "LocalReconciled")]
    public static partial void Reconciled(ILogger logger, string environment, string action);
}
