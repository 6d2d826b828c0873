using ChatOps.Bot.Environments;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env halt dev</c>: stops every node, keeping their files.</summary>
internal sealed class HaltCommand(EnvironmentSnapshots snapshots, WorkflowEngine engine) : NodeRunCommand(snapshots, engine), IDeclaresCommand
{
    /// <summary>The verb, and the name its runs are stored under.</summary>
    private const string Verb = "halt";

    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = Verb, Run = RunKind.OnNodes(Verb, "halting {env}", InfraVerb.Halt), Tier = PolicyTier.Change, ConfirmByDefault = true,
        Aliases = ["stop", "shutdown", "shut down", "bring down", "take down"], Arguments = [EnvCommands.Environment],
        Summary = "Stop every node, keeping their files.", Examples = ["/env halt dev", "@bot halt dev"],
        Phrases = [new("bring {env} down"), new("shut {env} down"), new("take {env} down")],
    };

    protected override VerbDefinition Declared => Definition;

    protected override string? Refusal(string environment, EnvironmentObservation observation) => observation.State is ObservedState.Halted or ObservedState.Destroyed or ObservedState.Unknown
        ? $"*{environment}* is not running ({observation.State.ToString().ToLowerInvariant()}), so there is nothing to halt."
        : null;

    protected override NodeRunArguments Arguments(CommandInvocation invocation, EnvironmentObservation observation) => new(InfraVerb.Halt);

    protected override string Preview(EnvironmentDefinition environment, EnvironmentObservation observation, NodeRunArguments arguments) =>
        $"Will stop {Nodes(observation)}. Their files stay.";
}
