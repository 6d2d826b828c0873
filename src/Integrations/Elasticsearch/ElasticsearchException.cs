using System.Net;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// A request Elasticsearch refused or that could not reach it. The message names the operation, the
/// index and Elasticsearch's own reason, so a log line alone says what to fix.
/// </summary>
public sealed class ElasticsearchException : Exception
{
    public ElasticsearchException(string operation, string? index, HttpStatusCode? statusCode, string? errorType, string? reason, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(Describe(operation, index, statusCode, errorType, reason), innerException)
    {
        Operation = operation;
        Index = index;
        StatusCode = statusCode;
        ErrorType = errorType;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    /// <summary>The API called, e.g. <c>search</c> or <c>bulk</c>.</summary>
    public string Operation { get; }

    /// <summary>The index the error names, else the index the request targeted.</summary>
    public string? Index { get; }

    /// <summary>Null when no HTTP response arrived (connection failure or timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Elasticsearch's error type, e.g. <c>index_not_found_exception</c>; <c>timeout</c> or <c>connection_failed</c> without a response.</summary>
    public string? ErrorType { get; }

    public string? Reason { get; }

    /// <summary>How long the server asked us to wait, when that was longer than the client waits by itself.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when trying again later may work: 429, 5xx, or no response at all.</summary>
    public bool IsTransient => StatusCode is not { } status || status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static string Describe(string operation, string? index, HttpStatusCode? statusCode, string? errorType, string? reason)
    {
        var target = index is null ? "" : $" on index '{index}'";
        var status = statusCode is { } code ? $"{(int)code} " : "";
        return $"Elasticsearch {operation}{target} failed: {status}{errorType ?? "error"}: {reason ?? "no reason given"}";
    }
}
