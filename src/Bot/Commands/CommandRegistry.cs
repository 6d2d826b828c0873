using ChatOps.Integrations;

namespace ChatOps.Bot.Commands;

/// <summary>
/// The registered commands by their definition's key, and the <see cref="CommandCatalog"/> built from their
/// definitions. Two commands with one key, one word or one button fail at start-up.
/// </summary>
public sealed class CommandRegistry : NamedRegistry<IChatCommand>
{
    public CommandRegistry(IEnumerable<IChatCommand> commands)
        : base(commands, c => c.Definition.Key, "command")
    {
        Catalog = new CommandCatalog(All.Select(c => c.Definition));
    }

    public CommandCatalog Catalog { get; }

    public IChatCommand For(VerbDefinition verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        return Get(verb.Key);
    }

    /// <summary>The command whose definition declares the button <paramref name="actionId"/>, and the number it names.</summary>
    public (IButtonCommand Command, long Id)? ButtonOwner(string actionId) =>
        Catalog.ButtonOwner(actionId) is var (verb, id) && For(verb) is IButtonCommand command ? (command, id) : null;
}
