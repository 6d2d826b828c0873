using ChatOps.Bot.Environments;

namespace ChatOps.Bot.Identity;

/// <summary>
/// Decides who may run which verb on which environment, and how deliberately: a verb's tier is the one its
/// command's definition declares (<see cref="VerbPolicies"/>), its role and risk what the environment configures.
/// </summary>
internal sealed class PermissionPolicy(EnvironmentCatalog environments, VerbPolicies verbs)
{
    // Reads only the environment's policy (which the verb tiers shaped when the catalog was built), yet stays an
    // instance member: callers ask the policy they were given, not a static rule.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Asked through the injected policy.")]
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

internal sealed record Permission(bool Allowed, RiskTier Risk, string? Reason)
{
    public static Permission Allow(RiskTier risk) => new(true, risk, null);

    public static Permission Deny(string reason) => new(false, RiskTier.None, reason);
}
