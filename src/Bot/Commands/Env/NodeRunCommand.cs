using ChatOps.Bot.Environments;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Commands.Env;

/// <summary>
/// What <c>up</c>, <c>provision</c>, <c>halt</c> and <c>destroy</c> share: each refuses what makes no sense in the
/// environment's current state, previews what will change, and hands its typed arguments to the engine.
/// </summary>
internal abstract class NodeRunCommand(EnvironmentSnapshots snapshots, WorkflowEngine engine) : IChatCommand
{
    VerbDefinition IChatCommand.Definition => Declared;

    /// <summary>The command's own definition.</summary>
    protected abstract VerbDefinition Declared { get; }

    /// <summary>Whether the run takes something away (its Confirm button is styled as dangerous).</summary>
    protected virtual bool Destructive => true;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var environment = context.Environment!;
        var observation = (await snapshots.ReadAsync(environment, cancellationToken)).Observation;
        if (Refusal(environment.Name, observation) is { } refusal)
        {
            return CommandResult.Fail(CommandError.Refused, refusal);
        }

        var arguments = Arguments(context.Invocation, observation);
        var request = new RunRequest(environment, Declared.Run!, arguments, context.Principal, context.Destination, context.Permission.Risk, Preview(environment, observation, arguments))
        {
            Destructive = Destructive,
            AnswerSlot = context.AnswerSlot,
        };
        return (await engine.RequestAsync(request, cancellationToken)).ToCommandResult();
    }

    /// <summary>Why the run makes no sense now, or null.</summary>
    protected abstract string? Refusal(string environment, EnvironmentObservation observation);

    /// <summary>The run's typed arguments, read from what was typed and, where it was left out, from the environment.</summary>
    protected abstract NodeRunArguments Arguments(CommandInvocation invocation, EnvironmentObservation observation);

    /// <summary>What the run will change, shown before it starts.</summary>
    protected abstract string Preview(EnvironmentDefinition environment, EnvironmentObservation observation, NodeRunArguments arguments);

    /// <summary>"web1 (healthy, version 7), web2 (stopped)".</summary>
    protected static string Nodes(EnvironmentObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return string.Join(", ", observation.Nodes.Select(n =>
            $"{n.Name} ({n.Health.ToString().ToLowerInvariant()}{(n.Version is null ? "" : $", version {n.Version}")})"));
    }
}
