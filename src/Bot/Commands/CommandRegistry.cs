namespace ChatOps.Bot.Commands;

/// <summary>The command handlers by verb name; a duplicate or a catalog verb without a handler fails at start-up.</summary>
public sealed class CommandRegistry
{
    private readonly Dictionary<string, IChatCommand> _byName = new(StringComparer.OrdinalIgnoreCase);

    public CommandRegistry(IEnumerable<IChatCommand> commands)
    {
        foreach (var command in commands)
        {
            if (!_byName.TryAdd(command.Name, command))
            {
                throw new InvalidOperationException($"Two command handlers are named '{command.Name}'.");
            }
        }

        var missing = CommandCatalog.Handled.Select(h => CommandCatalog.HandlerName(h.Command, h.Verb)).Where(v => !_byName.ContainsKey(v)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"No handler for: {string.Join(", ", missing)}.");
        }
    }

    public IChatCommand Get(string name) => _byName[name];
}
