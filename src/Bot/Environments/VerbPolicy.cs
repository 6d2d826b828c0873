using ChatOps.Integrations;

namespace ChatOps.Bot.Environments;

/// <summary>How deliberately a verb must be permitted.</summary>
internal enum PolicyTier
{
    /// <summary>Shows something; anyone may.</summary>
    Read,

    /// <summary>Changes an environment: on a protected one it needs the change role.</summary>
    Change,
}

/// <summary>
/// What the environments' policy knows of one verb, as its command's definition declares it: its tier, and
/// whether it asks for confirmation where <c>Policy:Confirm</c> is not configured.
/// </summary>
internal sealed record VerbPolicy(string Verb, PolicyTier Tier, bool ConfirmByDefault);

/// <summary>
/// The verbs <c>Environments:*:Policy</c> may name and the permission policy decides, filled at start from the
/// registered commands' definitions (Commands use Environments, so the words come here as data). A verb
/// declared twice fails at start-up.
/// </summary>
internal sealed class VerbPolicies(IEnumerable<VerbPolicy> verbs) : NamedRegistry<VerbPolicy>(verbs, v => v.Verb, "policy verb")
{
    /// <summary>The verbs that change an environment: on a protected one they need its change role.</summary>
    public IEnumerable<string> Changing => All.Where(v => v.Tier == PolicyTier.Change).Select(v => v.Verb);

    /// <summary>The verbs confirmed where an environment's <c>Policy:Confirm</c> is not configured.</summary>
    public IEnumerable<string> ConfirmedByDefault => All.Where(v => v.ConfirmByDefault).Select(v => v.Verb);

    public bool IsChanging(string verb) => Find(verb) is { Tier: PolicyTier.Change };

    public bool Knows(string verb) => Find(verb) is not null;
}
