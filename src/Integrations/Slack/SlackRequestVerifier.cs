using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Slack;

/// <summary>Why an inbound request was refused; <see cref="None"/> when it was accepted.</summary>
public enum SlackVerificationFailure
{
    None,
    NotConfigured,
    MissingTimestamp,
    MissingSignature,
    MalformedTimestamp,
    StaleTimestamp,
    BadSignature,
}

public readonly record struct SlackVerificationResult(SlackVerificationFailure Failure)
{
    public bool IsValid => Failure == SlackVerificationFailure.None;

    public static SlackVerificationResult Valid => new(SlackVerificationFailure.None);
}

/// <summary>
/// Checks Slack's v0 request signature: HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c> keyed with the
/// signing secret, compared in constant time, and a timestamp inside <see cref="SlackOptions.SignatureTolerance"/>
/// so a captured request cannot be replayed later.
/// </summary>
public sealed class SlackRequestVerifier(IOptionsMonitor<SlackOptions> options, TimeProvider timeProvider)
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";
    private const string Version = "v0";

    public SlackVerificationResult Verify(ReadOnlySpan<byte> body, string? timestamp, string? signature)
    {
        var secret = options.CurrentValue.SigningSecret;
        if (string.IsNullOrEmpty(secret))
        {
            return new(SlackVerificationFailure.NotConfigured);
        }

        if (string.IsNullOrEmpty(timestamp))
        {
            return new(SlackVerificationFailure.MissingTimestamp);
        }

        if (string.IsNullOrEmpty(signature))
        {
            return new(SlackVerificationFailure.MissingSignature);
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return new(SlackVerificationFailure.MalformedTimestamp);
        }

        // Both directions count: a timestamp far in the future is as suspicious as an old one.
        var age = timeProvider.GetUtcNow().ToUnixTimeSeconds() - seconds;
        if (Math.Abs(age) > (long)options.CurrentValue.SignatureTolerance.TotalSeconds)
        {
            return new(SlackVerificationFailure.StaleTimestamp);
        }

        var expected = ComputeSignature(secret, timestamp, body);
        // Slack sends lowercase hex; like Slack's own SDKs we compare the exact string, so an
        // uppercase digest is refused. The comparison takes the same time wherever they differ.
        var provided = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, provided)
            ? SlackVerificationResult.Valid
            : new(SlackVerificationFailure.BadSignature);
    }

    /// <summary>The ASCII bytes of <c>v0=&lt;lowercase hex&gt;</c> for a body; also used to sign test requests.</summary>
    public static byte[] ComputeSignature(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return Encoding.ASCII.GetBytes($"{Version}={Convert.ToHexStringLower(mac)}");
    }
}
