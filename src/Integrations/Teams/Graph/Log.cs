using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>Microsoft Graph lookup log messages; EventIds 3780-3799 are reserved for this folder.</summary>
internal static partial class Log
{
    [LoggerMessage(3780, LogLevel.Information, "Found the Teams post with outbox key {DeliveryKey} in {Conversation} through Microsoft Graph: message {MessageId}", EventName = "TeamsGraphPostFound")]
    public static partial void PostFound(ILogger logger, string conversation, string deliveryKey, string messageId);

    [LoggerMessage(3781, LogLevel.Information, "No Teams post with outbox key {DeliveryKey} in the {Read} most recent messages of {Conversation}; it was not delivered, so it is posted", EventName = "TeamsGraphPostNotFound")]
    public static partial void PostNotFound(ILogger logger, string conversation, string deliveryKey, int read);

    [LoggerMessage(3782, LogLevel.Warning, "Microsoft Graph cannot be asked about Teams conversation {Conversation}: {Reason}. A post there whose answer is lost is posted again and may show twice (said once per conversation)", EventName = "TeamsGraphLookupUnavailable")]
    public static partial void LookupUnavailable(ILogger logger, string conversation, string reason);

    [LoggerMessage(3783, LogLevel.Warning, "Microsoft Graph {Operation} for {Conversation} failed: HTTP {Status} {Code} {Message}", EventName = "TeamsGraphError")]
    public static partial void GraphError(ILogger logger, string operation, string conversation, int status, string code, string message);

    [LoggerMessage(3784, LogLevel.Warning, "Microsoft Graph's next page link {Link} is not under Teams:GraphBaseUrl; the lookup stops there rather than send the token elsewhere", EventName = "TeamsGraphForeignNextLink")]
    public static partial void ForeignNextLink(ILogger logger, string link);

    [LoggerMessage(3785, LogLevel.Information, "Microsoft Graph answers again for Teams conversation {Conversation}", EventName = "TeamsGraphLookupRestored")]
    public static partial void LookupRestored(ILogger logger, string conversation);
}
