using ChatOps.Bot.Environments;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env destroy dev</c>: stops every node and removes its working directory.</summary>
internal sealed class DestroyCommand(EnvironmentSnapshots snapshots, WorkflowEngine engine) : NodeRunCommand(snapshots, engine), IDeclaresCommand
{
    /// <summary>The verb, and the name its runs are stored under.</summary>
    private const string Verb = "destroy";

    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = Verb, Run = RunKind.OnNodes(Verb, "destroying {env}", InfraVerb.Destroy), Tier = PolicyTier.Change, ConfirmByDefault = true,
        Aliases = ["teardown", "tear down", "delete", "remove"], Arguments = [EnvCommands.Environment],
        Summary = "Stop every node and remove its working directory.", Examples = ["/env destroy dev"],
        Phrases = [new("tear {env} down")],
    };

    protected override VerbDefinition Declared => Definition;

    protected override string? Refusal(string environment, EnvironmentObservation observation) => observation.State == ObservedState.Destroyed
        ? $"*{environment}* is already destroyed."
        : null;

    protected override NodeRunArguments Arguments(CommandInvocation invocation, EnvironmentObservation observation) => new(InfraVerb.Destroy);

    protected override string Preview(EnvironmentDefinition environment, EnvironmentObservation observation, NodeRunArguments arguments) =>
        $"Will stop {Nodes(observation)} and delete their working directories. This cannot be undone.";
}
