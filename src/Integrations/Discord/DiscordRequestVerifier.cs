using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace ChatOps.Integrations.Discord;

/// <summary>Why an interaction request was refused; <see cref="None"/> when it was accepted.</summary>
public enum DiscordVerificationFailure
{
    None,
    NotConfigured,
    MissingSignature,
    MissingTimestamp,
    MalformedSignature,
    MalformedTimestamp,
    StaleTimestamp,
    BadSignature,
}

/// <summary>
/// Checks Discord's interaction signature: Ed25519 over the UTF-8 bytes of <c>X-Signature-Timestamp</c>
/// followed by the raw body, with the application's public key, and a timestamp within
/// <see cref="DiscordOptions.SignatureTolerance"/> of now, so a captured request cannot be replayed later.
/// </summary>
public sealed class DiscordRequestVerifier(IOptions<DiscordOptions> options, TimeProvider timeProvider)
{
    public const string SignatureHeader = "X-Signature-Ed25519";
    public const string TimestampHeader = "X-Signature-Timestamp";
    private const int SignatureBytes = 64;

    private readonly Ed25519PublicKeyParameters? _key = ParseKey(options.Value.PublicKey);

    public DiscordVerificationFailure Verify(ReadOnlySpan<byte> body, string? timestamp, string? signature)
    {
        if (_key is null)
        {
            return DiscordVerificationFailure.NotConfigured;
        }

        if (string.IsNullOrEmpty(signature))
        {
            return DiscordVerificationFailure.MissingSignature;
        }

        if (string.IsNullOrEmpty(timestamp))
        {
            return DiscordVerificationFailure.MissingTimestamp;
        }

        if (signature.Length != SignatureBytes * 2 || !signature.All(char.IsAsciiHexDigit))
        {
            return DiscordVerificationFailure.MalformedSignature;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return DiscordVerificationFailure.MalformedTimestamp;
        }

        // Both directions count: a timestamp far in the future is as suspicious as an old one.
        var age = timeProvider.GetUtcNow().ToUnixTimeSeconds() - seconds;
        if (Math.Abs(age) > (long)DiscordOptions.SignatureTolerance.TotalSeconds)
        {
            return DiscordVerificationFailure.StaleTimestamp;
        }

        // The timestamp's own bytes, not the number: "01700000000" signs differently from "1700000000".
        var prefix = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return IsValidSignature(_key, Convert.FromHexString(signature), message)
            ? DiscordVerificationFailure.None
            : DiscordVerificationFailure.BadSignature;
    }

    /// <summary>Plain RFC 8032 Ed25519 verification (no context, no pre-hash).</summary>
    internal static bool IsValidSignature(Ed25519PublicKeyParameters key, byte[] signature, byte[] message)
    {
        var signer = new Ed25519Signer();
        signer.Init(false, key);
        signer.BlockUpdate(message, 0, message.Length);
        return signer.VerifySignature(signature);
    }

    /// <summary>The key, or null when none is configured or it is not a point on the curve (nothing then verifies).</summary>
    internal static Ed25519PublicKeyParameters? ParseKey(string? hex)
    {
        var key = hex?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length != DiscordOptions.PublicKeyHexLength || !key.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        try
        {
            return new Ed25519PublicKeyParameters(Convert.FromHexString(key));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
