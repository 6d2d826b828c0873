namespace ChatOps.Bot.Audit;

internal static partial class Log
{
    [LoggerMessage(1500, LogLevel.Information, "Created the audit key file {Path} (owner-only); back it up: without it the trail cannot be verified", EventName = "AuditKeyCreated")]
    public static partial void KeyCreated(ILogger logger, string path);

    [LoggerMessage(1501, LogLevel.Warning, "The audit key file {Path} can be read or written by other users; make it owner-only (chmod 600)", EventName = "AuditKeyFileOpen")]
    public static partial void KeyFileOpen(ILogger logger, string path);

    [LoggerMessage(1502, LogLevel.Information, "Audit head {Count}:{Hash}", EventName = "AuditHeadPublished")]
    public static partial void HeadPublished(ILogger logger, long count, string hash);

    [LoggerMessage(1503, LogLevel.Warning, "Keyed the audit trail: {Count} records chained with plain SHA-256 (head {OldHead}) verified and re-chained with the key from {KeySource}", EventName = "AuditRekeyed")]
    public static partial void Rekeyed(ILogger logger, long count, string oldHead, string keySource);

    [LoggerMessage(1504, LogLevel.Error, "The audit trail does not verify at record {BrokenAt}: {Reason}", EventName = "AuditTrailBroken")]
    public static partial void TrailBroken(ILogger logger, long? brokenAt, string? reason);

    [LoggerMessage(1505, LogLevel.Warning, "Publishing the audit head failed; tried again at the next interval", EventName = "AuditHeadPublishFailed")]
    public static partial void PublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(1506, LogLevel.Warning, "Stopped before the audit head could be published on the way down; the next start publishes it", EventName = "AuditHeadPublishAtStopAbandoned")]
    public static partial void PublishAtStopAbandoned(ILogger logger);
}
