using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>Teams Connector log messages; EventIds 3750-3769 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3750, LogLevel.Debug, "Fetched a Teams app token for {Scope} from {Endpoint}; renewing it at {RenewAt}", EventName = "TeamsTokenFetched")]
    public static partial void TokenFetched(ILogger logger, string scope, Uri endpoint, DateTimeOffset renewAt);

    [LoggerMessage(3751, LogLevel.Error, "The token endpoint {Endpoint} refused the Teams app's credentials: HTTP {Status} {Error}", EventName = "TeamsTokenRefused")]
    public static partial void TokenRefused(ILogger logger, Uri endpoint, int status, string error);

    [LoggerMessage(3752, LogLevel.Information, "The Teams app token for {Scope} was refused (401); fetching a new one", EventName = "TeamsTokenDropped")]
    public static partial void TokenDropped(ILogger logger, string scope);

    [LoggerMessage(3753, LogLevel.Warning, "Teams {Operation} in {Conversation} answered {Reason}; retrying in {Delay} (attempt {Attempt})", EventName = "TeamsConnectorRetrying")]
    public static partial void Retrying(ILogger logger, string operation, string? conversation, string reason, TimeSpan delay, int attempt);

    [LoggerMessage(3754, LogLevel.Warning, "Teams {Operation} in {Conversation} failed: HTTP {Status} {Code} {Message}", EventName = "TeamsConnectorError")]
    public static partial void ConnectorError(ILogger logger, string operation, string conversation, int status, string code, string message);

    [LoggerMessage(3755, LogLevel.Debug, "Posted Teams activity {ActivityId} in {Conversation} (outbox key {DeliveryKey})", EventName = "TeamsPosted")]
    public static partial void Posted(ILogger logger, string conversation, string activityId, string deliveryKey);

    [LoggerMessage(3757, LogLevel.Warning, "Teams post in {Conversation} (outbox key {DeliveryKey}) got no clear answer ({Reason}); it may have been delivered, so the outbox's next attempt first looks for it through Microsoft Graph, and posts again (maybe a second card) only where Graph cannot be asked", EventName = "TeamsPostOutcomeUnknown")]
    public static partial void PostOutcomeUnknown(ILogger logger, string conversation, string deliveryKey, string reason);
}
