using System.Net;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Elasticsearch;

internal static partial class Log
{
    [LoggerMessage(EventId = 3000, EventName = "ElasticsearchRetrying", Level = LogLevel.Warning,
        Message = "Elasticsearch {Operation} on {Index} attempt {Attempt} failed ({Failure}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string operation, string index, int attempt, string failure, TimeSpan delay);

    [LoggerMessage(EventId = 3001, EventName = "ElasticsearchRequestFailed", Level = LogLevel.Warning,
        Message = "Elasticsearch {Operation} on {Index} failed with {StatusCode} {ErrorType}: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string operation, string index, HttpStatusCode? statusCode, string? errorType, string? reason);

    [LoggerMessage(EventId = 3002, EventName = "ElasticsearchWriteConflict", Level = LogLevel.Information,
        Message = "Elasticsearch {Operation} of document {Id} in {Index} conflicted: {Reason}")]
    public static partial void WriteConflict(ILogger logger, string operation, string index, string? id, string reason);

    [LoggerMessage(EventId = 3003, EventName = "ElasticsearchBulkItemsFailed", Level = LogLevel.Warning,
        Message = "Elasticsearch bulk: {Failed} of {Total} operations failed; first: {ErrorType}: {Reason}")]
    public static partial void BulkItemsFailed(ILogger logger, int failed, int total, string? errorType, string? reason);

    [LoggerMessage(EventId = 3004, EventName = "ElasticsearchCertificateRejected", Level = LogLevel.Warning,
        Message = "Elasticsearch certificate {Subject} ({Sha256}) rejected: {Errors}; it matches neither the configured fingerprint nor CA")]
    public static partial void CertificateRejected(ILogger logger, string subject, string sha256, string errors);

    [LoggerMessage(EventId = 3005, EventName = "ElasticsearchPartialResults", Level = LogLevel.Warning,
        Message = "Elasticsearch search on {Index} returned partial results: {Failed} of {Total} shards failed, timed out: {TimedOut}")]
    public static partial void PartialResults(ILogger logger, string index, int failed, int total, bool timedOut);
}
