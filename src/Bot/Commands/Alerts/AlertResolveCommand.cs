using ChatOps.Bot.Audit;
using ChatOps.Bot.Identity;
using ChatOps.Radiator.Alerts;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary><c>/alert resolve 42</c> and the Resolve button; may need <see cref="AlertOptions.ResolveRole"/>.</summary>
internal sealed class AlertResolveCommand(
    AlertService alerts, AlertStore store, AlertRouting routing, AuditTrail audit, IOptions<AlertOptions> options, ILogger<AlertResolveCommand> logger)
    : AlertButtonCommand(store, routing, audit, logger), IDeclaresCommand
{
    public static VerbDefinition Definition { get; } = new()
    {
        Group = AlertCommands.Group, Name = "resolve", Aliases = ["close"], Arguments = [AlertCommands.Id], ParseWords = AlertArguments.Number("resolve"),
        Summary = "Resolve an alert.", Examples = ["/alert resolve 42"],
        Buttons = [AlertFormatter.ResolveAction],
    };

    protected override VerbDefinition Declared => Definition;

    protected override string? RequiredRole => options.Value.ResolveRole;

    protected override string Doing => "Resolving";

    protected override Task<AlertActionResult> PressedAsync(long id, Principal principal, CancellationToken cancellationToken) =>
        alerts.ResolveAsync(id, principal.DisplayName, cancellationToken);

    public override async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RoleRefusal(context.Principal) is { } refusal)
        {
            return CommandResult.Fail(CommandError.Unauthorized, refusal);
        }

        var id = AlertArguments.Id(context.Invocation);
        return await AnswerAsync(context, id, await alerts.ResolveAsync(id, context.Principal.DisplayName, cancellationToken), $"Resolved #{id}.", cancellationToken);
    }
}
