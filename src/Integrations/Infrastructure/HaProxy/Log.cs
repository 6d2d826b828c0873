using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

internal static partial class Log
{
    [LoggerMessage(EventId = 3220, EventName = "HaProxyStarted", Level = LogLevel.Information, Message = "Started haproxy for {Environment} as process {ProcessId} on loopback port {Port}")]
    public static partial void Started(ILogger logger, string environment, int processId, int port);

    [LoggerMessage(EventId = 3221, EventName = "HaProxyReattached", Level = LogLevel.Debug, Message = "haproxy for {Environment} already runs as process {ProcessId}")]
    public static partial void Reattached(ILogger logger, string environment, int processId);

    [LoggerMessage(EventId = 3222, EventName = "HaProxyStopped", Level = LogLevel.Information, Message = "Stopped haproxy for {Environment} (process {ProcessId})")]
    public static partial void Stopped(ILogger logger, string environment, int processId);

    [LoggerMessage(EventId = 3223, EventName = "HaProxyWeightsSet", Level = LogLevel.Information, Message = "Weights of {Environment} set: {Weights}")]
    public static partial void WeightsSet(ILogger logger, string environment, string weights);

    [LoggerMessage(EventId = 3224, EventName = "HaProxySorrySet", Level = LogLevel.Information, Message = "Sorry page of {Environment} turned {State}")]
    public static partial void SorrySet(ILogger logger, string environment, string state);

    [LoggerMessage(EventId = 3225, EventName = "HaProxyServerAdded", Level = LogLevel.Information, Message = "Server {Server} of {Environment} at {Address}")]
    public static partial void ServerAdded(ILogger logger, string environment, string server, string address);

    [LoggerMessage(EventId = 3226, EventName = "HaProxyServerRemoved", Level = LogLevel.Information, Message = "Server {Server} of {Environment} removed")]
    public static partial void ServerRemoved(ILogger logger, string environment, string server);

    [LoggerMessage(EventId = 3227, EventName = "HaProxyCommandFailed", Level = LogLevel.Warning, Message = "HAProxy of {Environment} refused or could not take a change; our records are unchanged")]
    public static partial void CommandFailed(ILogger logger, string environment, Exception exception);
}
