using ChatOps.Bot.Environments;

namespace ChatOps.Bot.Identity;

/// <summary>
/// Decides who may run which verb on which environment, and how deliberately: a verb's tier is the one its
/// command's definition declares (<see cref="VerbPolicies"/>), its role and risk what the environment configures.
/// </summary>
public sealed class PermissionPolicy(EnvironmentCatalog environments, VerbPolicies verbs)
{
    public Permission Check(Principal principal, EnvironmentDefinition environment, string verb)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(environment);
        var role = environment.Policy.RequiredRole(verb);
        return principal.HasRole(role)
            ? Permission.Allow(environment.Policy.Risk(verb))
            : Permission.Deny($"`{verb}` on *{environment.Name}* needs the *{role}* role, which you do not have.");
    }

    /// <summary>True when the principal may run the verb on at least one environment (help and autocomplete show only those).</summary>
    public bool MayRunAnywhere(Principal principal, string verb) =>
        !verbs.IsChanging(verb)
        || environments.All.Any(e => principal.HasRole(e.Policy.RequiredRole(verb)));
}

public sealed record Permission(bool Allowed, RiskTier Risk, string? Reason)
{
    public static Permission Allow(RiskTier risk) => new(true, risk, null);

    public static Permission Deny(string reason) => new(false, RiskTier.None, reason);
}
