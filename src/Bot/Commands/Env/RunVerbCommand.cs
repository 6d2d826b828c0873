using ChatOps.Bot.Environments;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Commands.Env;

/// <summary>
/// <c>up</c>, <c>provision</c>, <c>halt</c>, <c>destroy</c>: refuses what makes no sense in the
/// environment's current state, previews what will change, and hands the run to the engine.
/// </summary>
public sealed class RunVerbCommand(string verb, EnvironmentSnapshots snapshots, WorkflowEngine engine) : IChatCommand
{
    public string Name => verb;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!;
        var snapshot = await snapshots.ReadAsync(environment, cancellationToken);
        var observation = snapshot.Observation;
        var arguments = new Dictionary<string, string>(context.Invocation.Values, StringComparer.OrdinalIgnoreCase);
        arguments.Remove("env");

        if (StateRefusal(environment.Name, observation) is { } refusal)
        {
            return CommandResult.Fail(CommandError.Refused, refusal);
        }

        if (verb == "provision" && !arguments.ContainsKey("version"))
        {
            arguments["version"] = observation.Nodes.Select(n => n.Version).FirstOrDefault(v => v is not null) ?? "initial";
        }

        var request = new RunRequest(environment, verb, arguments, context.Principal, context.Destination, context.Permission.Risk, Preview(environment, observation, arguments))
        {
            Destructive = verb != "up",
        };
        return await engine.RequestAsync(request, cancellationToken) is RunRequestResult.Refused refused
            ? CommandResult.Fail(CommandError.Refused, RunWording.Describe(refused.Refusal))
            : CommandResult.Ok();
    }

    private string? StateRefusal(string environment, EnvironmentObservation observation) => (verb, observation.State) switch
    {
        ("up", ObservedState.Up) => $"*{environment}* is already up: every node is healthy. Use `provision` to deploy a version.",
        ("halt", ObservedState.Halted or ObservedState.Destroyed or ObservedState.Unknown) => $"*{environment}* is not running ({observation.State.ToString().ToLowerInvariant()}), so there is nothing to halt.",
        ("destroy", ObservedState.Destroyed) => $"*{environment}* is already destroyed.",
        _ => null,
    };

    private string Preview(EnvironmentDefinition environment, EnvironmentObservation observation, IReadOnlyDictionary<string, string> arguments)
    {
        string Node(NodeObservation n) => $"{n.Name} ({n.Health.ToString().ToLowerInvariant()}{(n.Version is null ? "" : $", version {n.Version}")})";
        var nodes = string.Join(", ", observation.Nodes.Select(Node));
        return verb switch
        {
            "up" => $"Will start {string.Join(", ", environment.Nodes)} and wait until they are healthy.",
            "provision" => $"Will deploy version `{arguments["version"]}` to {nodes} and restart them one at a time.",
            "halt" => $"Will stop {nodes}. Their files stay.",
            "destroy" => $"Will stop {nodes} and delete their working directories. This cannot be undone.",
            _ => $"Will {verb} {environment.Name}.",
        };
    }
}
