using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Commands.Env;

/// <summary>
/// <c>/env balance prod web1=80 web2=20</c>: previews current and new weights and hands them, typed, to the
/// engine; no weights means even.
/// </summary>
internal sealed class BalanceCommand(ILoadBalancer loadBalancer, WorkflowEngine engine) : IChatCommand, IDeclaresCommand
{
    /// <summary>Every server's weight when none is given.</summary>
    public const int EvenWeight = 100;

    /// <summary>The verb, and the name its runs are stored under.</summary>
    private const string Verb = "balance";

    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = Verb, Run = RunKind.Of<BalanceArguments>(Verb, "rebalancing {env}"), Tier = PolicyTier.Change, ConfirmByDefault = true,
        Aliases = ["weights", "rebalance", "weight"],
        Arguments = [EnvCommands.Environment, new("weights", ArgumentKind.Weights, $"node=weight pairs (0-{CommandParser.MaxWeight}); none means even")],
        Summary = "Set load-balancer weights per node; no weights means even.",
        Examples = ["/env balance prod web1=80 web2=20", "/env balance prod"],
    };

    VerbDefinition IChatCommand.Definition => Definition;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var environment = context.Environment!;
        var (status, refusal) = await LoadBalancerCheck.StatusAsync(loadBalancer, environment, Definition, cancellationToken);
        if (status is null)
        {
            return CommandResult.Fail(CommandError.Refused, refusal!);
        }

        var asked = context.Invocation.Weights;
        var unknown = asked.Keys.Where(n => status.Servers.All(s => !s.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            return CommandResult.Fail(CommandError.Refused,
                $"*{environment.Name}* has no server {string.Join(", ", unknown.Select(u => $"`{u}`"))}. Servers: {string.Join(", ", status.Servers.Select(s => $"`{s.Name}`"))}.");
        }

        var weights = asked.Count > 0
            ? asked.ToDictionary(w => w.Key.ToLowerInvariant(), w => w.Value)
            : status.Servers.ToDictionary(s => s.Name, _ => EvenWeight);
        var preview = "Weights: " + string.Join(", ", status.Servers.Select(s =>
            weights.TryGetValue(s.Name, out var next) ? $"{s.Name} {s.Weight} → {next}" : $"{s.Name} {s.Weight} (unchanged)")) + ".";
        var request = new RunRequest(environment, Definition.Run!, new BalanceArguments(weights), context.Principal, context.Destination, context.Permission.Risk, preview)
        {
            AnswerSlot = context.AnswerSlot,
        };
        return (await engine.RequestAsync(request, cancellationToken)).ToCommandResult();
    }
}
