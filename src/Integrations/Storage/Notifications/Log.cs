using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Storage.Notifications;

/// <summary>Store notification log messages; EventIds 3850-3869 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3850, LogLevel.Information, "Listening for other replicas' changes on {Channels}", EventName = "StoreListening")]
    public static partial void Listening(ILogger logger, string channels);

    [LoggerMessage(3851, LogLevel.Warning, "The connection listening for other replicas' changes broke; polling meanwhile, reconnecting in {Delay}", EventName = "StoreListenerDropped")]
    public static partial void Dropped(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(3852, LogLevel.Information, "The {Provider} state store sends no notifications: other replicas' changes are polled for", EventName = "StoreListenerPolling")]
    public static partial void Polling(ILogger logger, string provider);

    [LoggerMessage(3853, LogLevel.Debug, "Notified on {Channel}", EventName = "StoreNotified")]
    public static partial void Notified(ILogger logger, string channel);
}
