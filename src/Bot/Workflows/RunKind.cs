using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// What a run does, typed. Its <see cref="Verb"/> is the name runs are stored under in the runs table (and the
/// command that starts it is called), so rows written by earlier versions keep their meaning. Commands take
/// their names from here, because Commands use Workflows and Workflows must not look back at Commands.
/// </summary>
public sealed record RunKind
{
    public static readonly RunKind Up = new("up", "bringing {env} up", InfraVerb.Up, changesNodes: true);
    public static readonly RunKind Provision = new("provision", "provisioning {env}", InfraVerb.Provision, changesNodes: true);
    public static readonly RunKind Halt = new("halt", "halting {env}", InfraVerb.Halt, changesNodes: true);
    public static readonly RunKind Destroy = new("destroy", "destroying {env}", InfraVerb.Destroy, changesNodes: true);
    public static readonly RunKind Balance = new("balance", "rebalancing {env}", null, changesNodes: false);
    public static readonly RunKind Sorry = new("sorry", "switching the sorry page of {env}", null, changesNodes: false);

    private static readonly NamedKinds ByVerb = new([Up, Provision, Halt, Destroy, Balance, Sorry]);

    private RunKind(string verb, string gerund, InfraVerb? operation, bool changesNodes)
    {
        Verb = verb;
        Gerund = gerund;
        Operation = operation;
        ChangesNodes = changesNodes;
    }

    public string Verb { get; }

    /// <summary>How progress speaks of a run of this kind: "bringing {env} up".</summary>
    public string Gerund { get; }

    /// <summary>The compute provider's operation, for kinds the provider carries out.</summary>
    public InfraVerb? Operation { get; }

    /// <summary>True when the run starts or stops nodes (and so goes to the deployment feed and decides what the environment is believed to be).</summary>
    public bool ChangesNodes { get; }

    public static IEnumerable<RunKind> All => ByVerb.All;

    /// <summary>The kind stored as <paramref name="verb"/>, or null for a verb no run has.</summary>
    public static RunKind? Find(string verb) => ByVerb.Find(verb);

    public override string ToString() => Verb;

    private sealed class NamedKinds(IEnumerable<RunKind> kinds) : Integrations.NamedRegistry<RunKind>(kinds, k => k.Verb, "run kind");
}
