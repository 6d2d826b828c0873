using ChatOps.Bot.Environments;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env up test</c>: starts every node and waits until it is healthy.</summary>
internal sealed class UpCommand(EnvironmentSnapshots snapshots, WorkflowEngine engine) : NodeRunCommand(snapshots, engine), IDeclaresCommand
{
    /// <summary>The verb, and the name its runs are stored under.</summary>
    private const string Verb = "up";

    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = Verb, Run = RunKind.OnNodes(Verb, "bringing {env} up", InfraVerb.Up), Tier = PolicyTier.Change,
        Aliases = ["start", "bring up", "spin up", "boot"], Arguments = [EnvCommands.Environment],
        Summary = "Start every node and wait until it is healthy.",
        Examples = ["/env up test", "bring up dev", "@bot start test"],
        Phrases = [new("bring {env} up"), new("spin {env} up")],
    };

    protected override VerbDefinition Declared => Definition;

    /// <summary>Bringing nodes up takes nothing away.</summary>
    protected override bool Destructive => false;

    protected override string? Refusal(string environment, EnvironmentObservation observation) => observation.State == ObservedState.Up
        ? $"*{environment}* is already up: every node is healthy. Use `{ProvisionCommand.Definition.Name}` to deploy a version."
        : null;

    protected override NodeRunArguments Arguments(CommandInvocation invocation, EnvironmentObservation observation) => new(InfraVerb.Up);

    protected override string Preview(EnvironmentDefinition environment, EnvironmentObservation observation, NodeRunArguments arguments) =>
        $"Will start {string.Join(", ", environment.Nodes)} and wait until they are healthy.";
}
