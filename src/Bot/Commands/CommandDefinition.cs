namespace ChatOps.Bot.Commands;

/// <summary>A top-level command (<c>env</c>, <c>help</c>) and its verbs.</summary>
public sealed record CommandDefinition(string Name, IReadOnlyList<string> Aliases, string Summary, IReadOnlyList<VerbDefinition> Verbs)
{
    public VerbDefinition? FindVerb(string name) =>
        Verbs.FirstOrDefault(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// One verb: its words, arguments and help. The same definition drives the parser, <c>help</c>,
/// suggestions and the web chat's autocomplete.
/// </summary>
public sealed record VerbDefinition
{
    public required string Name { get; init; }

    /// <summary>Other words for the verb, possibly several words long ("bring up").</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Whole sentences that mean this verb, with <c>{env}</c> for the environment, and the arguments they imply.</summary>
    public IReadOnlyList<Phrase> Phrases { get; init; } = [];

    public IReadOnlyList<ArgumentDefinition> Arguments { get; init; } = [];

    public required string Summary { get; init; }

    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>How progress speaks of a run of this verb: "bringing {env} up".</summary>
    public string Gerund { get; init; } = "";

    /// <summary>True for verbs that start an infrastructure run.</summary>
    public bool StartsRun { get; init; }

    public string Usage => string.Join(' ', new[] { Name }.Concat(Arguments.Select(a => a.Usage)));
}

/// <summary>A sentence pattern such as "put {env} in sorry mode", implying <see cref="Implies"/>.</summary>
public sealed record Phrase(string Pattern, IReadOnlyDictionary<string, string>? Implies = null);

public enum ArgumentKind
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

public sealed record ArgumentDefinition(string Name, ArgumentKind Kind, string Help)
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
