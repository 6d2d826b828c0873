using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Integrations.Discord.Sending;

/// <summary>
/// The <c>nonce</c> a post carries with <c>enforce_nonce</c>, so Discord returns the message it already made when a
/// post whose answer was lost is sent again. Discord takes at most 25 characters and our outbox keys are longer, so
/// the nonce is the first 96 bits of the key's SHA-256 in hex: 24 characters, the same for the same key every time.
/// </summary>
internal static class DiscordNonce
{
    public const int MaxLength = 25;

    public static string For(string deliveryKey)
    {
        ArgumentNullException.ThrowIfNull(deliveryKey);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(deliveryKey));
        return Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }
}
