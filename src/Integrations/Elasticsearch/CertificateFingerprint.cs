namespace ChatOps.Integrations.Elasticsearch;

/// <summary>Parses the SHA-256 fingerprints that Elasticsearch prints (hex, often colon-separated).</summary>
internal static class CertificateFingerprint
{
    /// <returns>The 32 bytes, or null when <paramref name="text"/> is not a SHA-256 fingerprint.</returns>
    public static byte[]? TryParse(string text)
    {
        var hex = text.Replace(":", "", StringComparison.Ordinal).Trim();
        if (hex.Length != 64)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
