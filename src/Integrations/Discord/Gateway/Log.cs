using ChatOps.Integrations.Chat.Inbox;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>Discord Gateway log messages; EventIds 3650-3699 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3650, LogLevel.Debug, "Discord Gateway said Hello; heartbeating every {Interval}", EventName = "DiscordGatewayHello")]
    public static partial void Hello(ILogger logger, TimeSpan interval);

    [LoggerMessage(3651, LogLevel.Information, "Discord Gateway identifying with intents {Intents}", EventName = "DiscordGatewayIdentifying")]
    public static partial void Identifying(ILogger logger, int intents);

    [LoggerMessage(3652, LogLevel.Information, "Discord Gateway resuming session {SessionId} after sequence {Sequence}", EventName = "DiscordGatewayResuming")]
    public static partial void Resuming(ILogger logger, string sessionId, long? sequence);

    [LoggerMessage(3653, LogLevel.Information, "Discord Gateway ready: session {SessionId}, bot user {BotUserId}", EventName = "DiscordGatewayReady")]
    public static partial void Ready(ILogger logger, string sessionId, string? botUserId);

    [LoggerMessage(3654, LogLevel.Information, "Discord Gateway resumed session {SessionId} at sequence {Sequence}", EventName = "DiscordGatewayResumed")]
    public static partial void Resumed(ILogger logger, string? sessionId, long? sequence);

    [LoggerMessage(3655, LogLevel.Trace, "Discord Gateway heartbeat with sequence {Sequence}", EventName = "DiscordGatewayHeartbeat")]
    public static partial void Heartbeat(ILogger logger, long? sequence);

    [LoggerMessage(3656, LogLevel.Warning, "Discord Gateway acknowledged no heartbeat within {Interval}; dropping the connection to resume", EventName = "DiscordGatewayZombie")]
    public static partial void Zombie(ILogger logger, TimeSpan interval);

    [LoggerMessage(3657, LogLevel.Information, "Discord Gateway asked to reconnect (op 7)", EventName = "DiscordGatewayReconnectRequested")]
    public static partial void ReconnectRequested(ILogger logger);

    [LoggerMessage(3658, LogLevel.Warning, "Discord Gateway invalidated the session (resumable: {Resumable}); reconnecting in {Delay}", EventName = "DiscordGatewayInvalidSession")]
    public static partial void InvalidSession(ILogger logger, bool resumable, TimeSpan delay);

    [LoggerMessage(3659, LogLevel.Information, "Discord Gateway closed the connection with {Code} {Description}", EventName = "DiscordGatewayClosed")]
    public static partial void Closed(ILogger logger, int? code, string? description);

    [LoggerMessage(3660, LogLevel.Warning, "Discord Gateway connection ended ({Reason}); will {Next} in {Delay} (consecutive failures: {Failures})", EventName = "DiscordGatewayReconnecting")]
    public static partial void Reconnecting(ILogger logger, string reason, string next, TimeSpan delay, int failures);

    [LoggerMessage(3661, LogLevel.Critical, "Discord Gateway stopped for good: {Advice}", EventName = "DiscordGatewayStopped")]
    public static partial void Stopped(ILogger logger, string advice);

    [LoggerMessage(3662, LogLevel.Error, "Discord Gateway connection attempt failed", EventName = "DiscordGatewayAttemptFailed")]
    public static partial void AttemptFailed(ILogger logger, Exception exception);

    [LoggerMessage(3663, LogLevel.Warning, "GET /gateway/bot failed; connecting to the last known Gateway URL {Url}", EventName = "DiscordGatewayBotFailed")]
    public static partial void GatewayBotFailed(ILogger logger, Uri url, Exception exception);

    [LoggerMessage(3664, LogLevel.Error, "Discord allows no more Gateway sessions today; identifying again in {ResetAfter}", EventName = "DiscordGatewaySessionStartsExhausted")]
    public static partial void SessionStartsExhausted(ILogger logger, TimeSpan resetAfter);

    [LoggerMessage(3665, LogLevel.Warning, "Discord Gateway sent a payload this client cannot read: {Reason}", EventName = "DiscordGatewayPayloadUnreadable")]
    public static partial void PayloadUnreadable(ILogger logger, string reason);

    [LoggerMessage(3666, LogLevel.Debug, "Discord Gateway opcode {Op} ignored", EventName = "DiscordGatewayPayloadIgnored")]
    public static partial void PayloadIgnored(ILogger logger, int op);

    [LoggerMessage(3670, LogLevel.Trace, "Discord Gateway dispatch {Type} ignored", EventName = "DiscordGatewayDispatchIgnored")]
    public static partial void DispatchIgnored(ILogger logger, string type);

    [LoggerMessage(3671, LogLevel.Error, "Handling the Discord Gateway dispatch {Type} failed", EventName = "DiscordGatewayDispatchFailed")]
    public static partial void DispatchFailed(ILogger logger, string type, Exception exception);

    [LoggerMessage(3672, LogLevel.Debug, "Discord message ignored: {Reason}", EventName = "DiscordGatewayMessageIgnored")]
    public static partial void MessageIgnored(ILogger logger, string reason);

    [LoggerMessage(3673, LogLevel.Information, "Discord message {DeliveryId} handed to the inbox: {Admission}", EventName = "DiscordGatewayMessageKept")]
    public static partial void MessageKept(ILogger logger, string deliveryId, InboxAdmission admission);

    [LoggerMessage(3674, LogLevel.Warning, "Discord interaction without id or token ignored", EventName = "DiscordGatewayInteractionUnreadable")]
    public static partial void InteractionUnreadable(ILogger logger);

    [LoggerMessage(3675, LogLevel.Debug, "Discord interaction {InteractionId} answered through its callback", EventName = "DiscordGatewayInteractionAnswered")]
    public static partial void InteractionAnswered(ILogger logger, string interactionId);

    [LoggerMessage(3676, LogLevel.Warning, "Answering Discord interaction {InteractionId} through its callback failed", EventName = "DiscordGatewayInteractionCallbackFailed")]
    public static partial void InteractionCallbackFailed(ILogger logger, string interactionId, Exception exception);
}
