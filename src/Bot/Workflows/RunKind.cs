using ChatOps.Integrations;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// What a run does, as the command that starts it declares it in its definition: the verb runs are stored
/// under in the runs table (so rows written by earlier versions keep their meaning), how a run of it is
/// spoken of, and how its stored arguments read back. Workflows never name a verb: commands hand their kind
/// over with each <see cref="RunRequest"/>, and stored runs find theirs in <see cref="RunKinds"/>.
/// </summary>
internal sealed class RunKind
{
    private readonly Func<IReadOnlyDictionary<string, string>, RunArguments> _restore;

    private RunKind(string verb, string wording, InfraVerb? operation, Func<IReadOnlyDictionary<string, string>, RunArguments> restore)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        ArgumentException.ThrowIfNullOrWhiteSpace(wording);
        Verb = verb;
        Wording = wording;
        Operation = operation;
        _restore = restore;
    }

    public string Verb { get; }

    /// <summary>How progress speaks of a run of this kind, with <c>{env}</c> for the environment: "bringing {env} up".</summary>
    public string Wording { get; }

    /// <summary>The compute provider's operation, for kinds the provider carries out.</summary>
    public InfraVerb? Operation { get; }

    /// <summary>True when the run starts or stops nodes (and so goes to the deployment feed and decides what the environment is believed to be).</summary>
    public bool ChangesNodes => Operation is not null;

    /// <summary>A kind the environment's compute provider carries out with <paramref name="operation"/>.</summary>
    public static RunKind OnNodes(string verb, string wording, InfraVerb operation) =>
        new(verb, wording, operation, stored => NodeRunArguments.FromStored(operation, stored));

    /// <summary>A kind whose arguments are <typeparamref name="TArguments"/>, read back from the pairs they are stored as.</summary>
    public static RunKind Of<TArguments>(string verb, string wording)
        where TArguments : RunArguments, IStoredRunArguments<TArguments> =>
        new(verb, wording, null, stored => TArguments.FromStored(stored));

    /// <summary>"bringing test up".</summary>
    public string Gerund(string environment) => Wording.Replace("{env}", environment, StringComparison.Ordinal);

    /// <summary>The typed arguments of a stored run of this kind.</summary>
    public RunArguments Restore(IReadOnlyDictionary<string, string> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return _restore(stored);
    }

    public override string ToString() => Verb;
}

/// <summary>
/// The kinds of run, filled at start from the registered commands' definitions, so a stored run's verb finds
/// how it is spoken of and how its arguments read back. A verb claimed by two kinds fails at start-up.
/// </summary>
internal sealed class RunKinds(IEnumerable<RunKind> kinds) : NamedRegistry<RunKind>(kinds, k => k.Verb, "run kind")
{
    /// <summary>"bringing test up"; a verb no registered command declares (a row from a removed command) still reads.</summary>
    public string Gerund(string verb, string environment) =>
        Find(verb)?.Gerund(environment) ?? $"running {verb} on {environment}";

    /// <summary>The typed arguments of a stored run, or null when <paramref name="verb"/> names no kind of run.</summary>
    public RunArguments? Restore(string verb, IReadOnlyDictionary<string, string> stored) => Find(verb)?.Restore(stored);
}
