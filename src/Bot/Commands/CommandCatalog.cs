using ChatOps.Integrations;

namespace ChatOps.Bot.Commands;

/// <summary>
/// Every command the bot understands, gathered from the registered commands' own definitions: help, the
/// parser, suggestions, autocomplete and the platforms' command registrations read it. Two commands that
/// claim one word in a group, or one button, are refused at start-up.
/// </summary>
internal sealed class CommandCatalog
{
    /// <summary><c>help</c> is the catalog's own: it describes the others.</summary>
    public static readonly CommandGroup HelpGroup = new("help", ["?", "commands"], "Show what you can ask, or how one verb works.") { IsVerb = true };

    public static readonly VerbDefinition Help = new()
    {
        Group = HelpGroup, Name = HelpGroup.Name, Summary = "Show what you can ask.",
        Arguments = [new("topic", ArgumentKind.Text, "a verb")], Examples = ["help", "help provision"],
    };

    private readonly NamedRegistry<VerbDefinition> _byButton;

    public CommandCatalog(IEnumerable<VerbDefinition> verbs)
    {
        ArgumentNullException.ThrowIfNull(verbs);
        Verbs = [.. verbs];
        Groups = [.. Verbs.Select(v => v.Group).Distinct()];
        if (Groups.Count(g => g.IsConversational) > 1)
        {
            throw new InvalidOperationException($"Only one command group can be understood without its word; {string.Join(" and ", Groups.Where(g => g.IsConversational).Select(g => g.Name))} both are.");
        }

        // Each word of a group, and each group's word, means one thing; the registries refuse a second claim, naming both.
        _ = new NamedRegistry<CommandGroup>([.. Groups, HelpGroup], g => new[] { g.Name }.Concat(g.Aliases), "command group");
        foreach (var group in Groups.Where(g => !g.IsVerb))
        {
            _ = new NamedRegistry<VerbDefinition>(VerbsOf(group), v => new[] { v.Name }.Concat(v.Aliases).Select(w => $"{group.Name} {w}"), "command");
        }

        // The runs table keeps the verb: a run named otherwise than its command could not be found again.
        if (Verbs.FirstOrDefault(v => v.Run is { } run && run.Verb != v.Name) is { } misnamed)
        {
            throw new InvalidOperationException($"`{misnamed.Key}` starts runs named '{misnamed.Run!.Verb}': a command's runs carry its own name.");
        }

        _byButton = new NamedRegistry<VerbDefinition>(Verbs, v => v.Buttons, "button owner");
    }

    /// <summary>Every command with a handler, in registration order.</summary>
    public IReadOnlyList<VerbDefinition> Verbs { get; }

    /// <summary>Every group that has commands, in registration order (without <c>help</c>).</summary>
    public IReadOnlyList<CommandGroup> Groups { get; }

    /// <summary>The group whose verbs are understood without its word, if any.</summary>
    public CommandGroup? Conversational => Groups.FirstOrDefault(g => g.IsConversational);

    public IEnumerable<VerbDefinition> VerbsOf(CommandGroup group) => Verbs.Where(v => v.Group == group);

    public CommandGroup? FindGroup(string word) => Groups.FirstOrDefault(g => g.Matches(word));

    /// <summary>The command named <paramref name="word"/> (or one of its aliases) in <paramref name="group"/>.</summary>
    public VerbDefinition? FindVerb(CommandGroup group, string word) => VerbsOf(group).FirstOrDefault(v => v.Matches(word));

    /// <summary>The command that owns the button <paramref name="actionId"/>, and the number after its prefix.</summary>
    public (VerbDefinition Verb, long Id)? ButtonOwner(string actionId)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        foreach (var prefix in _byButton.Names)
        {
            if (actionId.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(actionId.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                return (_byButton.Get(prefix), id);
            }
        }

        return null;
    }
}
