using ChatOps.Bot.Audit;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary>
/// What <c>ack</c>, <c>resolve</c> and <c>mute</c> share: each is typed (<c>/alert ack 42</c>) and pressed (the button
/// on every copy of the alert's message). Success edits every copy, so a press answers only with a refusal.
/// </summary>
internal abstract class AlertButtonCommand(AlertStore store, AlertRouting routing, AuditTrail audit, ILogger logger) : IButtonCommand
{
    VerbDefinition IChatCommand.Definition => Declared;

    /// <summary>The command's own definition.</summary>
    protected abstract VerbDefinition Declared { get; }

    /// <summary>The role needed, or null when any member may.</summary>
    protected abstract string? RequiredRole { get; }

    /// <summary>What the verb does with alert <paramref name="id"/> when its button is pressed.</summary>
    protected abstract Task<AlertActionResult> PressedAsync(long id, Principal principal, CancellationToken cancellationToken);

    public abstract Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Each destination has its own copy of an alert's message; only the copy in the press's channel can carry it.
    /// An old copy may have outlived the outbox's retention: then only the alert's routes bind the press.
    /// </summary>
    public async Task<(string? PostKey, ChatDestination? Recorded)> CarrierAsync(ChatAction press, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(press);
        return await store.GetAsync(id, cancellationToken) is { } alert
            ? (AlertPublisher.PostKey(alert, press.Destination), routing.DestinationsOf(alert).Contains(press.Destination) ? press.Destination : null)
            : (null, null);
    }

    public async Task<CommandResult> PressAsync(ButtonPress press, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(press);
        var action = AlertCommands.AuditAction(Declared);
        Log.AlertButton(logger, action, press.Id, press.Principal.Id);
        if (RoleRefusal(press.Principal) is { } refusal)
        {
            return CommandResult.Fail(CommandError.Unauthorized, char.ToLowerInvariant(refusal[0]) + refusal[1..]);
        }

        var result = await PressedAsync(press.Id, press.Principal, cancellationToken);
        await AlertCommands.AuditAsync(audit, press.Principal, action, press.Id, result, cancellationToken);
        return result.Succeeded ? CommandResult.Ok() : CommandResult.Fail(CommandError.Refused, result.Refusal!);
    }

    /// <summary>"Resolving alerts needs the `ops` role.", or null when <paramref name="principal"/> may.</summary>
    protected string? RoleRefusal(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return RequiredRole is { } role && !principal.HasRole(role) ? $"{Doing} alerts needs the `{role}` role." : null;
    }

    /// <summary>"Resolving", as refusals name the verb.</summary>
    protected abstract string Doing { get; }

    /// <summary>The answer to a typed command: short on success (the alert's message shows the change), the refusal otherwise.</summary>
    protected async Task<CommandResult> AnswerAsync(CommandContext context, long? id, AlertActionResult result, string success, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        await AlertCommands.AuditAsync(audit, context.Principal, AlertCommands.AuditAction(Declared), id, result, cancellationToken);
        return result.Succeeded ? CommandResult.Ok(success) : CommandResult.Fail(CommandError.Refused, result.Refusal!);
    }
}
