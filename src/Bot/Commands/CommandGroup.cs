namespace ChatOps.Bot.Commands;

/// <summary>
/// A top-level command word (<c>/env</c>, <c>/alert</c>, <c>/pulse</c>) and what it says about itself. Its verbs
/// are the commands whose definitions name it; the catalog gathers them.
/// </summary>
internal sealed record CommandGroup(string Name, IReadOnlyList<string> Aliases, string Summary)
{
    /// <summary>True when the group is a single verb, typed as <c>/pulse</c> rather than <c>/pulse pulse</c>.</summary>
    public bool IsVerb { get; init; }

    /// <summary>True for the one group whose verbs are understood without its word and in whole sentences (<c>bring up test</c>).</summary>
    public bool IsConversational { get; init; }

    /// <summary>
    /// True when its verbs are permitted per environment: <c>Environments:*:Policy</c> names them, and the
    /// permission policy decides them by the tier their definitions declare.
    /// </summary>
    public bool IsPermittedPerEnvironment { get; init; }

    public bool Matches(string word) =>
        Name.Equals(word, StringComparison.OrdinalIgnoreCase) || Aliases.Contains(word, StringComparer.OrdinalIgnoreCase);
}
