namespace ChatOps.Bot.Identity;

/// <summary>
/// One person, whatever platform they spoke from. <see cref="Id"/> is stable across platforms when
/// <c>Identity:People</c> links their accounts; otherwise it is the platform key.
/// </summary>
public sealed record Principal(string Id, string DisplayName, IReadOnlySet<string> Roles)
{
    public bool HasRole(string? role) => role is null || Roles.Contains(role);
}
