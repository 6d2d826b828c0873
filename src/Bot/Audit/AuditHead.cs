using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ChatOps.Bot.Audit;

/// <summary>
/// The end of the chain: how many records there are and the newest one's hash, written
/// <c>count:hash</c>. A head published somewhere the database's writer cannot reach pins every record
/// up to it, so a trail later truncated, emptied or rebuilt no longer matches it.
/// </summary>
internal sealed record AuditHead(long Count, string Hash)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count}:{Hash}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out AuditHead? head)
    {
        head = null;
        var parts = text?.Trim().Split(':');
        if (parts is not [var count, var hash]
            || !long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1
            || hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        head = new AuditHead(n, hash.ToLowerInvariant());
        return true;
    }
}

/// <summary>A head to compare the trail with, and where it was published (shown, so a reader knows what was checked).</summary>
internal sealed record PublishedHead(AuditHead Head, string Source)
{
    public override string ToString() => $"{Head} ({Source})";
}
