using Microsoft.Extensions.Logging;

namespace ChatOps.Radiator.Alerts;

internal static partial class Log
{
    [LoggerMessage(EventId = 2200, EventName = "AlertChanged", Level = LogLevel.Information, Message = "Alert {AlertId} ({Fingerprint}) is {Status} ({Source})")]
    public static partial void AlertChanged(ILogger logger, long alertId, string fingerprint, string status, string source);

    [LoggerMessage(EventId = 2201, EventName = "AlertsMuted", Level = LogLevel.Information, Message = "Alerts matching {Matcher} muted by {Who} until {Until}")]
    public static partial void Muted(ILogger logger, string matcher, string who, DateTimeOffset until);

    [LoggerMessage(EventId = 2202, EventName = "AlertEscalated", Level = LogLevel.Information, Message = "Alert {AlertId} escalated (step {Step}) to {Who}")]
    public static partial void Escalated(ILogger logger, long alertId, int step, string who);

    [LoggerMessage(EventId = 2203, EventName = "AlertTickFailed", Level = LogLevel.Warning, Message = "Checking alert expiries and escalations failed; retried at the next tick")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2204, EventName = "AlertWebhookRejected", Level = LogLevel.Information, Message = "Alert webhook rejected: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 2205, EventName = "AlertDeploymentRecordFailed", Level = LogLevel.Warning, Message = "Recording deployment {DeploymentId} for alert correlation failed")]
    public static partial void DeploymentRecordFailed(ILogger logger, string deploymentId, Exception exception);

    [LoggerMessage(EventId = 2206, EventName = "AlertSourceFailed", Level = LogLevel.Warning, Message = "Reading alerts from source {Source} failed; retried at the next interval")]
    public static partial void SourceFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 2207, EventName = "AlertSourceDocumentSkipped", Level = LogLevel.Debug, Message = "Source {Source}: document {DocumentId} has none of the fingerprint fields")]
    public static partial void SourceDocumentSkipped(ILogger logger, string source, string documentId);

    [LoggerMessage(EventId = 2208, EventName = "AlertRuleFailed", Level = LogLevel.Warning, Message = "Evaluating alert rule {Rule} failed")]
    public static partial void RuleFailed(ILogger logger, string rule, Exception exception);

    [LoggerMessage(EventId = 3822, EventName = "AlertRuleScheduleUnknown", Level = LogLevel.Warning, Message = "Could not tell whether this replica evaluates the alert rules (state store unreachable?); it asks again at the next tick")]
    public static partial void RuleScheduleUnknown(ILogger logger, Exception exception);
}
