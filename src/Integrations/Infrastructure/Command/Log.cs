using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Infrastructure.Command;

internal static partial class Log
{
    [LoggerMessage(EventId = 3260, EventName = "CommandStarting", Level = LogLevel.Information, Message = "{Verb} on {Environment}: running {Program}")]
    public static partial void CommandStarting(ILogger logger, InfraVerb verb, string environment, string program);

    [LoggerMessage(EventId = 3261, EventName = "CommandFailed", Level = LogLevel.Warning, Message = "{Verb} on {Environment}: {Program} exited with code {ExitCode}")]
    public static partial void CommandFailed(ILogger logger, InfraVerb verb, string environment, string program, int exitCode);

    [LoggerMessage(EventId = 3262, EventName = "CommandCouldNotRun", Level = LogLevel.Warning, Message = "{Verb} on {Environment}: {Program} could not run to its end")]
    public static partial void CommandCouldNotRun(ILogger logger, InfraVerb verb, string environment, string program, Exception exception);

    [LoggerMessage(EventId = 3263, EventName = "CommandCancelled", Level = LogLevel.Information, Message = "{Verb} on {Environment}: {Program} was cancelled; its process tree was stopped")]
    public static partial void CommandCancelled(ILogger logger, InfraVerb verb, string environment, string program);
}
