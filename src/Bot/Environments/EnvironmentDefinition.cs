using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Environments;

/// <summary>A validated, immutable environment: what the commands and the engine work with.</summary>
internal sealed record EnvironmentDefinition(string Name, string Provider, IReadOnlyList<string> Nodes, string? Description, EnvironmentPolicy Policy, bool HasLoadBalancer = true)
{
    public EnvironmentTarget Target => new(Name, Nodes);
}

/// <summary>The effective policy of one environment, defaults applied.</summary>
internal sealed record EnvironmentPolicy(
    IReadOnlyDictionary<string, string?> RoleByVerb,
    IReadOnlySet<string> Confirm,
    IReadOnlySet<string> Approve,
    string ApproverRole)
{
    /// <summary>The role a verb needs here, or null when everyone may run it.</summary>
    public string? RequiredRole(string verb) => RoleByVerb.TryGetValue(verb, out var role) ? role : null;

    public RiskTier Risk(string verb) =>
        Approve.Contains(verb) ? RiskTier.Approve
        : Confirm.Contains(verb) ? RiskTier.Confirm
        : RiskTier.None;
}

/// <summary>How deliberate a verb must be: run at once, confirmed by the requester, or also approved by a second person.</summary>
internal enum RiskTier
{
    None,
    Confirm,
    Approve,
}
