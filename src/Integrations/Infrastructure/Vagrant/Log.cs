using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Infrastructure.Vagrant;

internal static partial class Log
{
    [LoggerMessage(EventId = 3280, EventName = "VagrantStarting", Level = LogLevel.Information, Message = "Running vagrant {Verb} for {Environment}")]
    public static partial void VagrantStarting(ILogger logger, string verb, string environment);

    [LoggerMessage(EventId = 3281, EventName = "VagrantFailed", Level = LogLevel.Warning, Message = "vagrant {Verb} for {Environment} failed: {Reason}")]
    public static partial void VagrantFailed(ILogger logger, string verb, string environment, string reason);
}
