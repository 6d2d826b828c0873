using System.Globalization;
using ChatOps.Bot.Audit;
using ChatOps.Bot.Identity;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary>The <c>/alert</c> group, the argument its verbs share, and how every change from chat is audited.</summary>
internal static class AlertCommands
{
    public static readonly CommandGroup Group = new("alert", ["alerts"], "See, acknowledge, resolve and mute alerts.");

    public static readonly ArgumentDefinition Id = new(IdArgument, ArgumentKind.Text, "the alert's number, as shown on its message (#42)") { Required = true };

    internal const string IdArgument = "id";

    /// <summary>The audit action of a verb: <c>alert-ack</c>, as its button's prefix says it too.</summary>
    public static string AuditAction(VerbDefinition verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        return $"{Group.Name}-{verb.Name}";
    }

    /// <summary>Every acknowledge, resolve and mute from chat goes to the audit trail, refusals included.</summary>
    internal static async Task AuditAsync(AuditTrail audit, Principal principal, string action, long? id, AlertActionResult result, CancellationToken cancellationToken)
    {
        var what = id is { } alertId ? $"alert #{alertId.ToString(CultureInfo.InvariantCulture)}" : "alerts";
        await audit.AppendAsync(new AuditEntry(principal.Id, principal.DisplayName, action, null, null,
            result.Succeeded ? $"{what}: done ({result.Alerts.Count} changed)" : $"{what}: refused: {result.Refusal}"), cancellationToken);
    }
}
