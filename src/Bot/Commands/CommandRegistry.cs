using ChatOps.Integrations;

namespace ChatOps.Bot.Commands;

/// <summary>
/// The registered command handlers by their definition's key. Two with one key fail at start-up, and so does a
/// handler whose definition is not the one its registration put in the <see cref="CommandCatalog"/>.
/// </summary>
internal sealed class CommandRegistry : NamedRegistry<IChatCommand>
{
    private readonly CommandCatalog _catalog;

    public CommandRegistry(IEnumerable<IChatCommand> commands, CommandCatalog catalog)
        : base(commands, c => c.Definition.Key, "command")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        var strays = All.Where(c => !catalog.Verbs.Contains(c.Definition)).Select(c => c.GetType().Name).ToList();
        if (strays.Count > 0)
        {
            throw new InvalidOperationException($"{string.Join(", ", strays)} {(strays.Count == 1 ? "is" : "are")} not in the command catalog: register commands with AddChatCommand.");
        }
    }

    public IChatCommand For(VerbDefinition verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        return Get(verb.Key);
    }

    /// <summary>The command whose definition declares the button <paramref name="actionId"/>, and the number it names.</summary>
    public (IButtonCommand Command, long Id)? ButtonOwner(string actionId) =>
        _catalog.ButtonOwner(actionId) is var (verb, id) && For(verb) is IButtonCommand command ? (command, id) : null;
}
