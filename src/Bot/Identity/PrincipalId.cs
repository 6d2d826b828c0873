namespace ChatOps.Bot.Identity;

/// <summary>
/// The one canonical spelling of a user key (<c>platform:id</c>) or a person (<c>person:name</c>).
/// Every id the bot compares or stores (roles, confirmations and approvals, lock holders, run
/// requesters, audit actors) goes through here, so <c>webchat:ALICE</c> and <c>webchat:alice</c> are
/// one identity everywhere, never one for roles and another for "not the requester".
/// </summary>
/// <remarks>
/// The platform is lower-cased. Web chat names are case-insensitive (anyone may type any case), so
/// they are lower-cased. Slack member ids are upper-case (<c>U0123ABCD</c>) and Slack never issues
/// two that differ in case, so a key typed in lower case in configuration is upper-cased to match.
/// Teams users are named by their Entra ID (AAD) object id, a GUID, which is the same id in any case, so it is
/// lower-cased as Teams sends it (<c>teams:ABC…</c> in configuration matches).
/// People (<c>Identity:People</c>) are lower-cased like their configuration keys, which ignore case.
/// Any other platform's ids are kept as given (only trimmed): their case may matter.
/// </remarks>
internal static class PrincipalId
{
    public const string PersonPrefix = "person";

    /// <summary>The canonical key of user <paramref name="id"/> on <paramref name="platform"/>.</summary>
    public static string Of(string platform, string id)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(id);
        var p = platform.Trim().ToLowerInvariant();
        var i = id.Trim();
        return p switch
        {
            "webchat" or "teams" or PersonPrefix => $"{p}:{i.ToLowerInvariant()}",
            "slack" => $"{p}:{i.ToUpperInvariant()}",
            _ => $"{p}:{i}",
        };
    }

    /// <summary>
    /// The canonical form of a stored or configured key (<c>webchat:Alice</c> → <c>webchat:alice</c>);
    /// a value without a platform (an actor such as <c>system</c>) is only trimmed.
    /// </summary>
    public static string Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? key.Trim() : Of(key[..colon], key[(colon + 1)..]);
    }

    /// <summary>The principal id of a person named in <c>Identity:People</c>.</summary>
    public static string Person(string name) => Of(PersonPrefix, name);

    /// <summary>True when both name the same identity; ids stored before canonical forms existed compare correctly too.</summary>
    public static bool Same(string? left, string? right) =>
        left is not null && right is not null && string.Equals(Of(left), Of(right), StringComparison.Ordinal);
}
