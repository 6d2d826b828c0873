using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Infrastructure.HaProxy;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Commands.Env;

/// <summary>
/// <c>/env sorry prod on|off [message=…]</c>: previews what the sorry page will do and hands the switch, typed,
/// to the engine.
/// </summary>
internal sealed class SorryCommand(ILoadBalancer loadBalancer, WorkflowEngine engine, IOptions<HaProxyOptions> haProxy) : IChatCommand, IDeclaresCommand
{
    private const string StateArgument = "state";
    private const string MessageArgument = "message";
    private const string On = "on";
    private const string Off = "off";

    /// <summary>The verb, and the name its runs are stored under.</summary>
    private const string Verb = "sorry";

    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = Verb, Run = RunKind.Of<SorryArguments>(Verb, "switching the sorry page of {env}"), Tier = PolicyTier.Change, ConfirmByDefault = true, Aliases = ["maintenance"],
        Arguments =
        [
            EnvCommands.Environment,
            new(StateArgument, ArgumentKind.Choice, "on shows the sorry page, off brings the nodes back") { Required = true, AllowedValues = [On, Off] },
            new(MessageArgument, ArgumentKind.Text, "what the sorry page says") { Positional = false },
        ],
        Summary = "Serve the sorry page instead of the nodes, or stop serving it.",
        Examples = ["/env sorry prod on message=\"Back at 9pm\"", "put prod in sorry mode", "/env sorry prod off"],
        Phrases =
        [
            new("put {env} in sorry mode", new Dictionary<string, string> { [StateArgument] = On }),
            new("put {env} into sorry mode", new Dictionary<string, string> { [StateArgument] = On }),
            new("take {env} out of sorry mode", new Dictionary<string, string> { [StateArgument] = Off }),
        ],
    };

    VerbDefinition IChatCommand.Definition => Definition;

    /// <summary>The typed arguments of a parsed <c>sorry</c>.</summary>
    public static SorryArguments Bind(CommandInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return new(invocation[StateArgument] == On, invocation[MessageArgument]);
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var environment = context.Environment!;
        var (status, refusal) = await LoadBalancerCheck.StatusAsync(loadBalancer, environment, Definition, cancellationToken);
        if (status is null)
        {
            return CommandResult.Fail(CommandError.Refused, refusal!);
        }

        var arguments = Bind(context.Invocation);
        if (!arguments.Show && !status.Sorry)
        {
            return CommandResult.Fail(CommandError.Refused, $"The sorry page of *{environment.Name}* is not on.");
        }

        var servers = string.Join(", ", status.Servers.Select(s => s.Name));
        var preview = arguments.Show
            ? $"Will put {servers} in maintenance; {status.FrontUrl} will answer 503 with “{arguments.Message ?? haProxy.Value.SorryMessage}”."
            : $"Will bring {servers} back from maintenance; whenever no node is usable, {status.FrontUrl} will say “{haProxy.Value.SorryMessage}”.";
        var request = new RunRequest(environment, Definition.Run!, arguments, context.Principal, context.Destination, context.Permission.Risk, preview) { Destructive = arguments.Show, AnswerSlot = context.AnswerSlot };
        return (await engine.RequestAsync(request, cancellationToken)).ToCommandResult();
    }
}
