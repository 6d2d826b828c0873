using System.Text;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env list</c>: every environment, its state, and who holds it.</summary>
internal sealed class ListCommand(EnvironmentCatalog environments, EnvironmentSnapshots snapshots, RunKinds kinds, TimeProvider time) : IChatCommand, IDeclaresCommand
{
    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = "list", Aliases = ["ls", "environments"], OnlyReads = true, Summary = "Show every environment and its state.",
        Examples = ["/env list"],
    };

    VerbDefinition IChatCommand.Definition => Definition;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var text = new StringBuilder("Environments:\n");
        foreach (var environment in environments.All)
        {
            var snapshot = await snapshots.ReadAsync(environment, cancellationToken);
            var healthy = snapshot.Observation.Nodes.Count(n => n.Health == Integrations.Infrastructure.NodeHealth.Healthy);
            text.Append($"• *{environment.Name}* — {snapshot.State}, {healthy} of {environment.Nodes.Count} nodes healthy");
            if (snapshot.Lease is not null)
            {
                text.Append(" · ").Append(RunWording.Busy(snapshot.Lease, kinds, time.GetUtcNow()).TrimEnd('.'));
            }

            if (snapshot.Lock is not null)
            {
                text.Append(" · 🔒 ").Append(snapshot.Lock.HolderName);
            }

            text.Append('\n');
        }

        return CommandResult.Ok(text.ToString().TrimEnd());
    }
}
