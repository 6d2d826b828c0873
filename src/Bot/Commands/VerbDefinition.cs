using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Commands;

/// <summary>
/// One command as it declares itself: its group and words, arguments, help, policy tier and the buttons it owns.
/// The same definition drives the parser, <c>help</c>, suggestions, autocomplete and the platforms' command
/// registrations (the Slack manifest), all through the <see cref="CommandCatalog"/>.
/// </summary>
internal sealed record VerbDefinition
{
    public required CommandGroup Group { get; init; }

    public required string Name { get; init; }

    /// <summary>Other words for the verb, possibly several words long ("bring up").</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Whole sentences that mean this verb, with <c>{env}</c> for the environment, and the arguments they imply.</summary>
    public IReadOnlyList<Phrase> Phrases { get; init; } = [];

    public IReadOnlyList<ArgumentDefinition> Arguments { get; init; } = [];

    public required string Summary { get; init; }

    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>Whether the verb only reads, or changes an environment (and so needs the environment's change role where it is protected).</summary>
    public PolicyTier Tier { get; init; } = PolicyTier.Read;

    /// <summary>
    /// True when the requester is asked to confirm the verb on an environment whose <c>Policy:Confirm</c> is not
    /// configured (configuring it replaces every verb's default).
    /// </summary>
    public bool ConfirmByDefault { get; init; }

    /// <summary>
    /// True when running the verb reads state and writes nothing (no run, no audit entry, no question): running it again
    /// changes nothing, so it may be answered as it is received (<see cref="Inbound.QueryAnswers"/>).
    /// </summary>
    public bool OnlyReads { get; init; }

    /// <summary>
    /// The kind of run the verb starts, if it starts one: named as the verb, with how a run of it is spoken of.
    /// Registering the command gives it to Workflows, which name no verb themselves.
    /// </summary>
    public RunKind? Run { get; init; }

    /// <summary>
    /// The prefixes of the action ids of buttons this command puts on messages (<c>cancel-run:</c>); a press
    /// whose action id starts with one is routed to this command, with the number after it.
    /// </summary>
    public IReadOnlyList<string> Buttons { get; init; } = [];

    /// <summary>True for the verb a group means when it is typed alone (<c>/alert</c> lists alerts).</summary>
    public bool IsGroupDefault { get; init; }

    /// <summary>
    /// How the words after the verb become arguments, for verbs whose arguments are not the usual
    /// <c>env</c>, choices and <c>name=value</c> pairs; null for the usual parsing.
    /// </summary>
    public Func<VerbDefinition, IReadOnlyList<string>, ParseOutcome>? ParseWords { get; init; }

    /// <summary>Unique within the catalog: the group and the verb.</summary>
    public string Key => Group.IsVerb ? Group.Name : $"{Group.Name} {Name}";

    public string Usage => string.Join(' ', new[] { Name }.Concat(Arguments.Select(a => a.Usage)));

    /// <summary>How the verb is typed as a slash command: <c>/env up &lt;env&gt;</c>, <c>/pulse</c>.</summary>
    public string SlashUsage => Group.IsVerb ? $"/{Usage}" : $"/{Group.Name} {Usage}";

    public bool Matches(string word) =>
        Name.Equals(word, StringComparison.OrdinalIgnoreCase) || Aliases.Contains(word, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A sentence pattern such as "put {env} in sorry mode", implying <see cref="Implies"/>.</summary>
internal sealed record Phrase(string Pattern, IReadOnlyDictionary<string, string>? Implies = null);

internal enum ArgumentKind
{
    /// <summary>A configured environment's name.</summary>
    Environment,

    /// <summary>A version label: letters, digits, dots, dashes, underscores.</summary>
    Version,

    /// <summary>One of <see cref="ArgumentDefinition.AllowedValues"/>.</summary>
    Choice,

    /// <summary><c>node=weight</c> pairs.</summary>
    Weights,

    /// <summary>Free text: the rest of the line, or a quoted value.</summary>
    Text,
}

internal sealed record ArgumentDefinition(string Name, ArgumentKind Kind, string Help)
{
    public bool Required { get; init; }

    public string? Default { get; init; }

    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>True when the argument may be given without its name (<c>test</c> rather than <c>env=test</c>).</summary>
    public bool Positional { get; init; } = true;

    public string Usage => Kind switch
    {
        ArgumentKind.Environment => Required ? "<env>" : "[env]",
        ArgumentKind.Choice => Required ? string.Join('|', AllowedValues) : $"[{string.Join('|', AllowedValues)}]",
        ArgumentKind.Weights => "[node=weight …]",
        ArgumentKind.Text when Positional => Required ? $"<{Name}>" : $"[{Name}]",
        _ => Required ? $"{Name}=…" : $"[{Name}=…]",
    };
}
