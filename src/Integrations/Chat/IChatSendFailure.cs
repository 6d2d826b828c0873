namespace ChatOps.Integrations.Chat;

/// <summary>
/// What a failed send tells its caller about trying again. Platform exceptions implement it so that
/// delivery can honour <c>Retry-After</c> and stop retrying requests that can never succeed, without
/// knowing any platform's error codes.
/// </summary>
internal interface IChatSendFailure
{
    /// <summary>How long the platform asked us to wait before the next request, when it said.</summary>
    TimeSpan? RetryAfter { get; }

    /// <summary>True when repeating the same request cannot succeed (bad token, unknown channel, invalid message).</summary>
    bool IsPermanent { get; }

    /// <summary>
    /// True when <see cref="RetryAfter"/> holds for every destination of the platform (Discord's global rate limit),
    /// not only for the one the request went to. <value>Default: false.</value>
    /// </summary>
    bool RetryAfterIsPlatformWide => false;
}
