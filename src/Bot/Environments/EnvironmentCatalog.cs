using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Environments;

/// <summary>The configured environments, validated once at start-up.</summary>
internal sealed partial class EnvironmentCatalog
{
    private static readonly string[] DefaultNodes = ["web1", "web2"];

    private readonly Dictionary<string, EnvironmentDefinition> _byName;

    /// <param name="options">The configured environments.</param>
    /// <param name="verbs">The verbs a policy speaks of, with their tiers and confirmation defaults, as the commands declare them.</param>
    public EnvironmentCatalog(IOptions<EnvironmentsOptions> options, VerbPolicies verbs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(verbs);
        _byName = options.Value.Environments.ToDictionary(
            e => e.Key.ToLowerInvariant(),
            e => Define(e.Key.ToLowerInvariant(), e.Value, verbs),
            StringComparer.OrdinalIgnoreCase);
        All = [.. _byName.Values.OrderBy(e => e.Name, StringComparer.Ordinal)];
    }

    public IReadOnlyList<EnvironmentDefinition> All { get; }

    public IEnumerable<string> Names => All.Select(e => e.Name);

    public EnvironmentDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Every problem with the configuration, so one start-up failure names all of them.</summary>
    /// <param name="options">The configured environments.</param>
    /// <param name="verbs">The verbs a policy may name: those of the registered commands.</param>
    public static IEnumerable<string> Validate(EnvironmentsOptions options, VerbPolicies verbs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(verbs);
        if (options.Environments.Count == 0)
        {
            yield return "Environments: at least one environment must be configured.";
        }

        foreach (var (name, env) in options.Environments)
        {
            if (!NamePattern().IsMatch(name))
            {
                yield return $"Environments:{name}: names are lower-case letters, digits and dashes (at most 32).";
            }

            foreach (var node in env.Nodes ?? [])
            {
                if (!NamePattern().IsMatch(node))
                {
                    yield return $"Environments:{name}:Nodes: '{node}' is not a valid node name (lower-case letters, digits, dashes).";
                }
            }

            if (env.LoadBalancer is not ("HaProxy" or "None"))
            {
                yield return $"Environments:{name}:LoadBalancer: '{env.LoadBalancer}' is not a load balancer (HaProxy or None).";
            }

            if (env.Nodes is { } nodes && nodes.Distinct(StringComparer.OrdinalIgnoreCase).Count() != nodes.Count)
            {
                yield return $"Environments:{name}:Nodes: node names must be unique.";
            }

            var policy = env.Policy;
            foreach (var verb in (policy.Confirm ?? []).Concat(policy.Approve ?? []).Concat(policy.VerbRoles.Keys))
            {
                if (!verbs.Knows(verb))
                {
                    yield return $"Environments:{name}:Policy: '{verb}' is not a verb.";
                }
            }
        }
    }

    private static EnvironmentDefinition Define(string name, EnvironmentOptions options, VerbPolicies verbs)
    {
        var policy = options.Policy;
        var roles = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var verb in verbs.Changing)
        {
            roles[verb] = policy.ChangeRole;
        }

        foreach (var (verb, role) in policy.VerbRoles)
        {
            roles[verb] = string.IsNullOrWhiteSpace(role) ? null : role;
        }

        var effective = new EnvironmentPolicy(
            roles,
            new HashSet<string>(policy.Confirm ?? verbs.ConfirmedByDefault, StringComparer.OrdinalIgnoreCase),
            new HashSet<string>(policy.Approve ?? [], StringComparer.OrdinalIgnoreCase),
            policy.ApproverRole ?? policy.ChangeRole ?? "ops");
        return new EnvironmentDefinition(name, options.Provider, options.Nodes is { Count: > 0 } nodes ? nodes : DefaultNodes, options.Description, effective,
            options.LoadBalancer == "HaProxy");
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,31}\z")]
    private static partial Regex NamePattern();
}
