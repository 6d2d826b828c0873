using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Chat.Queue;

/// <summary>Queue worker log messages; EventIds 3450-3469 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3450, LogLevel.Error, "A round of the {Queue} failed (its store unreachable?); kept items wait and it tries again in {Delay}", EventName = "QueueRoundFailed")]
    public static partial void RoundFailed(ILogger logger, Exception exception, string queue, TimeSpan delay);

    [LoggerMessage(3451, LogLevel.Information, "Pruned {Count} finished items of the {Queue} older than {Retention}", EventName = "QueuePruned")]
    public static partial void Pruned(ILogger logger, int count, string queue, TimeSpan retention);

    [LoggerMessage(3452, LogLevel.Warning, "{Count} items of the {Queue} were still claimed by a process that stopped without finishing them; they go again now", EventName = "QueueClaimsReleased")]
    public static partial void ClaimsReleased(ILogger logger, int count, string queue);

    [LoggerMessage(3453, LogLevel.Warning, "The {Queue} is paused: what arrives is kept but not handled until the bot starts without the pause", EventName = "QueuePaused")]
    public static partial void Paused(ILogger logger, string queue);
}
