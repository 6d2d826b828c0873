using ChatOps.Bot.Audit;
using ChatOps.Bot.Identity;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary><c>/alert ack 42</c> and the Acknowledge button: every copy of the alert's message says who, and escalation stops. Any member may.</summary>
internal sealed class AlertAckCommand(AlertService alerts, AlertStore store, AlertRouting routing, AuditTrail audit, ILogger<AlertAckCommand> logger)
    : AlertButtonCommand(store, routing, audit, logger), IDeclaresCommand
{
    public static VerbDefinition Definition { get; } = new()
    {
        Group = AlertCommands.Group, Name = "ack", Aliases = ["acknowledge"], Arguments = [AlertCommands.Id], ParseWords = AlertArguments.Number("acknowledge"),
        Summary = "Acknowledge an alert: every copy of its message says who, and escalation stops.", Examples = ["/alert ack 42"],
        Buttons = [AlertFormatter.AcknowledgeAction],
    };

    protected override VerbDefinition Declared => Definition;

    protected override string? RequiredRole => null;

    protected override string Doing => "Acknowledging";

    protected override Task<AlertActionResult> PressedAsync(long id, Principal principal, CancellationToken cancellationToken) =>
        alerts.AcknowledgeAsync(id, principal.DisplayName, cancellationToken);

    public override async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = AlertArguments.Id(context.Invocation);
        return await AnswerAsync(context, id, await alerts.AcknowledgeAsync(id, context.Principal.DisplayName, cancellationToken), $"Acknowledged #{id}.", cancellationToken);
    }
}
