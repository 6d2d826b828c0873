namespace ChatOps.Bot.Identity;

/// <summary>
/// Maps platform users to roles: <c>"Roles": { "ops": ["webchat:alice", "slack:U123"] }</c>, so
/// <c>Identity__Roles__ops__0=webchat:alice</c> works as an environment variable.
/// </summary>
internal sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>Role name → user keys (<c>platform:id</c>) holding it.</summary>
    public Dictionary<string, List<string>> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Roles every user holds. <value>Default: member.</value></summary>
    public List<string>? DefaultRoles { get; set; }

    /// <summary>
    /// Users who are one person across platforms: principal name → user keys, e.g.
    /// <c>"alice": ["webchat:alice", "slack:U123"]</c>. <value>Default: each user is their own principal.</value>
    /// </summary>
    public Dictionary<string, List<string>> People { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
