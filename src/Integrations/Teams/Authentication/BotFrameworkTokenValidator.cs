using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatOps.Integrations.Teams.Authentication;

/// <summary>A token that passed <see cref="BotFrameworkTokenValidator.ValidateAsync"/>, to be held to the activity it came with.</summary>
internal sealed record BotFrameworkToken(string? ServiceUrl, BotFrameworkSigningKey SigningKey);

/// <summary>
/// Checks the bearer token the Bot Framework sends with every activity, as its authentication documentation lists
/// (Connector to bot): the Bearer scheme; a JWT signed with RS256 by a key published at the OpenID metadata's
/// <c>jwks_uri</c>; issuer <c>https://api.botframework.com</c>; audience <c>Teams:AppId</c>; within its lifetime
/// with five minutes of clock skew. The activity-dependent rules (the <c>serviceurl</c> claim, the key's
/// endorsement of the channel) are in <see cref="CheckActivity"/>, which needs the body. There is deliberately no
/// setting that turns any of this off.
/// </summary>
internal sealed class BotFrameworkTokenValidator(
    BotFrameworkSigningKeys keys,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    ILogger<BotFrameworkTokenValidator> logger)
{
    public const string Issuer = "https://api.botframework.com";
    public const string ServiceUrlClaim = "serviceurl";
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The algorithm the metadata names in <c>id_token_signing_alg_values_supported</c>. Only this one is accepted, so
    /// neither an unsigned token nor one "signed" with the public key as an HMAC secret can pass.
    /// </summary>
    public const string Algorithm = SecurityAlgorithms.RsaSha256;

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<(BotFrameworkTokenFailure Failure, BotFrameworkToken? Token)> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return (BotFrameworkTokenFailure.MissingToken, null);
        }

        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return (BotFrameworkTokenFailure.NotBearer, null);
        }

        var compact = authorization[scheme.Length..].Trim();
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(compact);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return (BotFrameworkTokenFailure.Malformed, null);
        }

        // Checked before the key lookup, so tokens that could never pass cannot make the keys be fetched again.
        if (!string.Equals(token.Alg, Algorithm, StringComparison.Ordinal))
        {
            return (BotFrameworkTokenFailure.DisallowedAlgorithm, null);
        }

        var keyId = string.IsNullOrEmpty(token.Kid) ? token.X5t : token.Kid;
        if (string.IsNullOrEmpty(keyId))
        {
            return (BotFrameworkTokenFailure.UnknownKey, null);
        }

        var (lookup, key) = await keys.FindAsync(keyId, cancellationToken);
        if (lookup != SigningKeyLookup.Found)
        {
            return (lookup == SigningKeyLookup.Unavailable ? BotFrameworkTokenFailure.KeysUnavailable : BotFrameworkTokenFailure.UnknownKey, null);
        }

        var result = await Handler.ValidateTokenAsync(token, Parameters(key!));
        if (!result.IsValid)
        {
            var failure = Classify(result.Exception);
            Log.TokenDetail(logger, failure, result.Exception?.GetType().Name);
            return (failure, null);
        }

        if (Lifetime(token) is var lifetime and not BotFrameworkTokenFailure.None)
        {
            return (lifetime, null);
        }

        var serviceUrl = result.ClaimsIdentity.FindFirst(ServiceUrlClaim)?.Value;
        return (BotFrameworkTokenFailure.None, new BotFrameworkToken(serviceUrl, key!));
    }

    /// <summary>
    /// The rules that hold the token to the activity it came with: its <c>serviceurl</c> claim is the activity's
    /// <c>serviceUrl</c> (else a token for one Connector could make the bot send its own token to any address), and its
    /// signing key, when it lists endorsements, is endorsed for the activity's <c>channelId</c> (403, as documented).
    /// </summary>
    public static BotFrameworkTokenFailure CheckActivity(BotFrameworkToken token, string? serviceUrl, string? channelId)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (string.IsNullOrEmpty(token.ServiceUrl))
        {
            return BotFrameworkTokenFailure.ServiceUrlMissing;
        }

        // Compared as the SDKs do, ignoring case: the claim and the activity are written by the same service.
        if (!string.Equals(token.ServiceUrl, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return BotFrameworkTokenFailure.ServiceUrlMismatch;
        }

        var endorsements = token.SigningKey.Endorsements;
        // An activity without a channelId has nothing to endorse (as the SDK treats it).
        return endorsements.Count > 0 && !string.IsNullOrEmpty(channelId) && !endorsements.Contains(channelId)
            ? BotFrameworkTokenFailure.ChannelNotEndorsed
            : BotFrameworkTokenFailure.None;
    }

    private TokenValidationParameters Parameters(BotFrameworkSigningKey key) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = options.Value.AppId?.Trim(),
        ValidAlgorithms = [Algorithm],
        IssuerSigningKey = key.Key,
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        // Checked by Lifetime, on the injected clock rather than the library's wall clock.
        ValidateLifetime = false,
        // The key comes from the Bot Framework's own key document; it has no certificate whose dates to check.
        ValidateIssuerSigningKey = false,
        NameClaimType = ClaimTypes.Name,
    };

    /// <summary>The token's <c>exp</c> (required) and <c>nbf</c> (when present), each with <see cref="ClockSkew"/> of leeway.</summary>
    private BotFrameworkTokenFailure Lifetime(JsonWebToken token)
    {
        var now = time.GetUtcNow();
        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var expires) || DateTimeOffset.FromUnixTimeSeconds(expires) + ClockSkew < now)
        {
            return BotFrameworkTokenFailure.Expired;
        }

        return token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var notBefore) && DateTimeOffset.FromUnixTimeSeconds(notBefore) - ClockSkew > now
            ? BotFrameworkTokenFailure.NotYetValid
            : BotFrameworkTokenFailure.None;
    }

    private static BotFrameworkTokenFailure Classify(Exception? exception) => exception switch
    {
        SecurityTokenInvalidIssuerException => BotFrameworkTokenFailure.WrongIssuer,
        SecurityTokenInvalidAudienceException => BotFrameworkTokenFailure.WrongAudience,
        SecurityTokenExpiredException or SecurityTokenNoExpirationException => BotFrameworkTokenFailure.Expired,
        SecurityTokenNotYetValidException => BotFrameworkTokenFailure.NotYetValid,
        SecurityTokenInvalidAlgorithmException => BotFrameworkTokenFailure.DisallowedAlgorithm,
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => BotFrameworkTokenFailure.BadSignature,
        _ => BotFrameworkTokenFailure.Malformed,
    };
}
