using System.Text;
using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary><c>/alert list</c> (or <c>/alert</c>): the open alerts, grouped, as of now.</summary>
internal sealed class AlertListCommand(AlertService alerts, TimeProvider time) : IChatCommand, IDeclaresCommand
{
    public static VerbDefinition Definition { get; } = new()
    {
        Group = AlertCommands.Group, Name = "list", Aliases = ["ls", "open"], IsGroupDefault = true, ParseWords = AlertArguments.None,
        Summary = "Show open alerts.", Examples = ["/alert list"],
    };

    private const int ShownPerGroup = 20;

    VerbDefinition IChatCommand.Definition => Definition;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var open = await alerts.ListAsync(false, cancellationToken);
        var now = time.GetUtcNow();
        // The answer is not edited as alerts change: it says when it was true.
        var asOf = ChatTime.Mark(now);
        if (open.Count == 0)
        {
            return CommandResult.Ok($"No open alerts as of {asOf}. 🎉");
        }

        var text = new StringBuilder($"{open.Count} open {(open.Count == 1 ? "alert" : "alerts")} as of {asOf}:\n");
        foreach (var group in open.GroupBy(a => a.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (group.Key.Length > 0)
            {
                text.Append('*').Append(group.Key).Append("*\n");
            }

            foreach (var alert in group.Take(ShownPerGroup))
            {
                text.Append("• ").Append(AlertFormatter.Line(alert, now)).Append('\n');
            }
        }

        return CommandResult.Ok(text.ToString().TrimEnd());
    }
}
