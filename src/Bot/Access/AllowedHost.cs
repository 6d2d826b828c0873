namespace ChatOps.Bot.Access;

/// <summary>One <c>WebChat:AllowedHosts</c> entry: <c>name</c> (any port) or <c>name:port</c>.</summary>
internal static class AllowedHost
{
    public static bool IsValid(string entry) =>
        Parse(entry) is { } parsed && Uri.CheckHostName(parsed.Name) != UriHostNameType.Unknown;

    public static bool Matches(string entry, string name, int port) =>
        Parse(entry) is { } allowed && allowed.Name == name && (allowed.Port is null || allowed.Port == port);

    /// <summary>Normalised name and port, or null when the entry is not <c>name[:port]</c>.</summary>
    private static (string Name, int? Port)? Parse(string entry)
    {
        if (string.IsNullOrWhiteSpace(entry) || !Uri.TryCreate("http://" + entry.Trim(), UriKind.Absolute, out var uri)
            || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return null;
        }

        var explicitPort = entry.Trim().EndsWith(']') || !entry.Contains(':', StringComparison.Ordinal) ? (int?)null : uri.Port;
        return (ListenAddresses.NormalizeName(uri.Host), explicitPort);
    }
}
