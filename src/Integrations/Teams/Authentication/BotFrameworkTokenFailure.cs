namespace ChatOps.Integrations.Teams.Authentication;

/// <summary>Why a request from the Bot Framework was not believed; <see cref="None"/> when it was.</summary>
public enum BotFrameworkTokenFailure
{
    None,

    /// <summary>No <c>Authorization</c> header.</summary>
    MissingToken,

    /// <summary>An <c>Authorization</c> header of another scheme than <c>Bearer</c>.</summary>
    NotBearer,

    /// <summary>Not a JWT in compact form.</summary>
    Malformed,

    /// <summary>Signed with another algorithm than RS256 (or not signed at all).</summary>
    DisallowedAlgorithm,

    /// <summary>Names a signing key the Bot Framework does not publish.</summary>
    UnknownKey,

    /// <summary>The signature does not verify with the key it names.</summary>
    BadSignature,

    /// <summary>Issued by someone else than <c>https://api.botframework.com</c>.</summary>
    WrongIssuer,

    /// <summary>Meant for another bot: the audience is not <c>Teams:AppId</c>.</summary>
    WrongAudience,

    /// <summary>Expired more than the allowed clock skew ago, or without an expiry.</summary>
    Expired,

    /// <summary>Not valid until more than the allowed clock skew from now.</summary>
    NotYetValid,

    /// <summary>No <c>serviceurl</c> claim to hold the activity's <c>serviceUrl</c> to.</summary>
    ServiceUrlMissing,

    /// <summary>The <c>serviceurl</c> claim differs from the activity's <c>serviceUrl</c>: the token was issued for another Connector.</summary>
    ServiceUrlMismatch,

    /// <summary>The signing key is not endorsed for the activity's <c>channelId</c> (answered 403, as documented).</summary>
    ChannelNotEndorsed,

    /// <summary>The signing keys could not be fetched, so nothing can be verified for now (answered 503).</summary>
    KeysUnavailable,
}

public static class BotFrameworkTokenFailures
{
    /// <summary>What a refused sender is told: which rule the request broke, never anything about the keys or the expected values.</summary>
    public static string Describe(this BotFrameworkTokenFailure failure) => failure switch
    {
        BotFrameworkTokenFailure.MissingToken => "The Authorization header is missing; the Bot Framework sends a bearer token with every activity.",
        BotFrameworkTokenFailure.NotBearer => "The Authorization header is not a Bearer token.",
        BotFrameworkTokenFailure.Malformed => "The bearer token is not a JWT.",
        BotFrameworkTokenFailure.DisallowedAlgorithm => $"The token is not signed with {BotFrameworkTokenValidator.Algorithm}.",
        BotFrameworkTokenFailure.UnknownKey => "The token names a signing key the Bot Framework does not publish.",
        BotFrameworkTokenFailure.BadSignature => "The token's signature does not verify.",
        BotFrameworkTokenFailure.WrongIssuer => $"The token was not issued by {BotFrameworkTokenValidator.Issuer}.",
        BotFrameworkTokenFailure.WrongAudience => "The token is meant for another bot (its audience is not Teams:AppId).",
        BotFrameworkTokenFailure.Expired => "The token has expired.",
        BotFrameworkTokenFailure.NotYetValid => "The token is not valid yet.",
        BotFrameworkTokenFailure.ServiceUrlMissing => $"The token has no {BotFrameworkTokenValidator.ServiceUrlClaim} claim.",
        BotFrameworkTokenFailure.ServiceUrlMismatch => $"The token's {BotFrameworkTokenValidator.ServiceUrlClaim} claim is not the activity's serviceUrl.",
        BotFrameworkTokenFailure.ChannelNotEndorsed => "The token's signing key is not endorsed for the activity's channelId.",
        BotFrameworkTokenFailure.KeysUnavailable => "The Bot Framework's signing keys could not be fetched from Teams:OpenIdMetadataUrl; try again shortly.",
        _ => "The request was verified.",
    };
}
