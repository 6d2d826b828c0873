namespace ChatOps.Bot.Identity;

/// <summary>
/// One person, whatever platform they spoke from. <see cref="Id"/> is canonical (<see cref="PrincipalId"/>)
/// and stable across platforms when <c>Identity:People</c> links their accounts; otherwise it is the platform key.
/// </summary>
internal sealed record Principal(string Id, string DisplayName, IReadOnlySet<string> Roles)
{
    public bool HasRole(string? role) => role is null || Roles.Contains(role);

    /// <summary>True when <paramref name="storedId"/> (a requester, a lock holder) is this principal.</summary>
    public bool Is(string? storedId) => PrincipalId.Same(Id, storedId);
}
