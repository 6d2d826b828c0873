using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.WebChat;

/// <summary>Web chat log messages; EventIds 3840-3849 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3840, LogLevel.Warning, "The web chat's live stream could not read changes after revision {Revision}; trying again at the next change", EventName = "WebChatTailFailed")]
    public static partial void TailFailed(ILogger logger, long revision, Exception exception);
}
