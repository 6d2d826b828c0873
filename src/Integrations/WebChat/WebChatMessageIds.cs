using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Integrations.WebChat;

/// <summary>
/// Web chat message ids, <c>m{sequence}-{tag}</c>. The sequence keeps messages in order; the tag is an HMAC of
/// it under a random key kept in the state store, so an id cannot be guessed from the scheme. A button press
/// names the message that carries the button and the endpoint looks the button up on that message, so a
/// forged press needs an id that only someone who can read the channel has seen: knowing that decisions are
/// <c>confirm:7</c> or that the last message was number 41 is not enough. The tag is derived rather than
/// stored, so messages written before ids had one get theirs without a migration.
/// </summary>
internal sealed class WebChatMessageIds(byte[] key)
{
    private const int TagBytes = 12;
    private const int TagChars = TagBytes * 2;

    public string Format(long seq)
    {
        var number = seq.ToString(CultureInfo.InvariantCulture);
        return $"m{number}-{Tag(number)}";
    }

    /// <summary>
    /// An id from outside (a button press, an image link): its tag must be present and right. Anything else
    /// is "no such message", indistinguishable from one that does not exist.
    /// </summary>
    public bool TryParse(string? id, out long seq) =>
        TryParse(id, requireTag: true, out seq);

    /// <summary>
    /// An id the bot itself recorded (the outbox's message ids, threads): a wrong tag is refused, a missing one
    /// is accepted because the outbox may still hold ids from before tags existed.
    /// </summary>
    public bool TryParseOwn(string? id, out long seq) =>
        TryParse(id, requireTag: false, out seq);

    private bool TryParse(string? id, bool requireTag, out long seq)
    {
        seq = 0;
        if (id is null || id.Length < 2 || id[0] != 'm')
        {
            return false;
        }

        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var number = dash < 0 ? id.AsSpan(1) : id.AsSpan(1, dash - 1);
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out seq))
        {
            return false;
        }

        if (dash < 0)
        {
            return !requireTag;
        }

        var presented = id.AsSpan(dash + 1);
        return presented.Length == TagChars
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented.ToString()), Encoding.ASCII.GetBytes(Tag(number.ToString())));
    }

    private string Tag(string number) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(number)).AsSpan(0, TagBytes));
}
