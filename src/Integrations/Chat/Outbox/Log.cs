using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>Delivery log messages; EventIds 3400-3449 are reserved for this folder, 3870-3884 for budgets shared among replicas.</summary>
internal static partial class Log
{
    [LoggerMessage(3400, LogLevel.Debug, "Delivered {Kind} {Key} to {Destination} as {MessageId}", EventName = "OutboxDelivered")]
    public static partial void Delivered(ILogger logger, OutboxWorkKind kind, string key, ChatDestination destination, string messageId);

    [LoggerMessage(3401, LogLevel.Warning, "{Destination} asked to wait {RetryAfter} before {Kind} {Key}", EventName = "OutboxRetryAfter")]
    public static partial void RetryAfter(ILogger logger, ChatDestination destination, TimeSpan retryAfter, OutboxWorkKind kind, string key);

    [LoggerMessage(3402, LogLevel.Warning, "Sending {Kind} {Key} to {Destination} failed (attempt {Attempt}); retrying in {Delay}", EventName = "OutboxTransientFailure")]
    public static partial void TransientFailure(ILogger logger, Exception exception, OutboxWorkKind kind, string key, ChatDestination destination, int attempt, TimeSpan delay);

    [LoggerMessage(3403, LogLevel.Error, "Gave up sending {Kind} {Key} to {Destination} after {Attempts} attempts: {Reason}", EventName = "OutboxDeliveryFailed")]
    public static partial void DeliveryFailed(ILogger logger, OutboxWorkKind kind, string key, ChatDestination destination, int attempts, string reason);

    [LoggerMessage(3404, LogLevel.Warning, "Retrying {Kind} {Key} to {Destination} whose earlier attempt at {AttemptedAt} was never confirmed", EventName = "OutboxAbandonedClaimRecovered")]
    public static partial void AbandonedClaimRecovered(ILogger logger, OutboxWorkKind kind, string key, ChatDestination destination, DateTimeOffset attemptedAt);

    [LoggerMessage(3405, LogLevel.Warning, "{Kind} {Key} to {Destination} was sent but its lease had passed to another claim; it may show twice", EventName = "OutboxLeaseLost")]
    public static partial void LeaseLost(ILogger logger, OutboxWorkKind kind, string key, ChatDestination destination);

    [LoggerMessage(3406, LogLevel.Information, "Merged {Count} waiting messages for {Destination} into digest {DigestKey}", EventName = "OutboxDigested")]
    public static partial void Digested(ILogger logger, int count, ChatDestination destination, string digestKey);


    [LoggerMessage(3409, LogLevel.Warning, "{Kind} {Key} to {Destination}, attempted at {AttemptedAt}, had already reached the platform as {MessageId}; recorded without posting again", EventName = "OutboxEarlierPostFound")]
    public static partial void EarlierPostFound(ILogger logger, OutboxWorkKind kind, string key, ChatDestination destination, string messageId, DateTimeOffset attemptedAt);

    [LoggerMessage(3410, LogLevel.Information, "{Kind} {Key} to {Destination}, attempted at {AttemptedAt}, is not on the platform; posting it", EventName = "OutboxEarlierPostNotFound")]
    public static partial void EarlierPostNotFound(ILogger logger, OutboxWorkKind kind, string key, ChatDestination destination, DateTimeOffset attemptedAt);

    [LoggerMessage(3411, LogLevel.Warning, "Could not ask {Destination} whether {Kind} {Key} is already there; posting it, so it may show twice", EventName = "OutboxLookupUnavailable")]
    public static partial void LookupUnavailable(ILogger logger, Exception exception, OutboxWorkKind kind, string key, ChatDestination destination);

    [LoggerMessage(3870, LogLevel.Information, "{Destination} is paused until {Until} by a rate limit another replica heard; nothing goes to it before then", EventName = "OutboxSharedPauseHonoured")]
    public static partial void SharedPauseHonoured(ILogger logger, ChatDestination destination, DateTimeOffset until);

    [LoggerMessage(3871, LogLevel.Debug, "Recorded the pause of {Platform}:{Channel} until {Until} for every replica", EventName = "OutboxPauseShared")]
    public static partial void PauseShared(ILogger logger, string platform, string channel, DateTimeOffset until);

    [LoggerMessage(3872, LogLevel.Warning, "Could not record the pause of {Destination} until {Until} for the other replicas; this one waits, they learn of the limit from the platform", EventName = "OutboxPauseNotShared")]
    public static partial void PauseNotShared(ILogger logger, Exception exception, ChatDestination destination, DateTimeOffset until);

    [LoggerMessage(3873, LogLevel.Warning, "{Destination} asked to wait {RetryAfter}, longer than ChatDelivery:MaxPause; waiting {MaxPause}", EventName = "OutboxRetryAfterCapped")]
    public static partial void RetryAfterCapped(ILogger logger, ChatDestination destination, TimeSpan retryAfter, TimeSpan maxPause);

    [LoggerMessage(3412, LogLevel.Information, "Gave back {Count} claimed messages for {Destination} unsent, held back by {Reason}", EventName = "OutboxClaimsGivenBack")]
    public static partial void ClaimsGivenBack(ILogger logger, int count, ChatDestination destination, string reason);
}
