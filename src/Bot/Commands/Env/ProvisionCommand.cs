using ChatOps.Bot.Environments;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env provision test version=7</c>: deploys a version (without one, the deployed version again) and restarts the nodes with it.</summary>
internal sealed class ProvisionCommand(EnvironmentSnapshots snapshots, WorkflowEngine engine) : NodeRunCommand(snapshots, engine), IDeclaresCommand
{
    /// <summary>What is deployed when nothing says which version: no node reports one yet.</summary>
    public const string InitialVersion = "initial";

    private const string VersionArgument = "version";

    /// <summary>The verb, and the name its runs are stored under.</summary>
    private const string Verb = "provision";

    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = Verb, Run = RunKind.OnNodes(Verb, "provisioning {env}", InfraVerb.Provision), Tier = PolicyTier.Change,
        Aliases = ["deploy", "roll out", "release"],
        Arguments = [EnvCommands.Environment, new(VersionArgument, ArgumentKind.Version, "the version to deploy; without it the deployed version is redeployed")],
        Summary = "Deploy a version and restart the nodes with it.",
        Examples = ["/env provision test version=7", "deploy 1.4.2 to prod"],
        Phrases = [new("deploy {version} to {env}"), new("roll out {version} to {env}")],
    };

    protected override VerbDefinition Declared => Definition;

    protected override string? Refusal(string environment, EnvironmentObservation observation) => null;

    protected override NodeRunArguments Arguments(CommandInvocation invocation, EnvironmentObservation observation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(observation);
        return new(InfraVerb.Provision, invocation[VersionArgument] ?? observation.Nodes.Select(n => n.Version).FirstOrDefault(v => v is not null) ?? InitialVersion);
    }

    protected override string Preview(EnvironmentDefinition environment, EnvironmentObservation observation, NodeRunArguments arguments) =>
        $"Will deploy version `{arguments.Version}` to {Nodes(observation)} and restart them one at a time.";
}
