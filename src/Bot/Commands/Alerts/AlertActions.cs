using System.Globalization;
using ChatOps.Bot.Audit;
using ChatOps.Bot.Identity;
using ChatOps.Radiator.Alerts;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Commands.Alerts;

/// <summary>
/// The Acknowledge / Resolve / Mute buttons on an alert's message (<c>alert-ack:{id}</c> …). Any member
/// may acknowledge; resolve and mute may need a role. Success edits every copy of the message, so it
/// returns null; a refusal is a short reason for the presser.
/// </summary>
public sealed class AlertActions(AlertService alerts, AuditTrail audit, IOptions<AlertOptions> options, ILogger<AlertActions> logger)
{
    public static bool Handles(string actionId)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        return actionId.StartsWith(AlertFormatter.AcknowledgeAction, StringComparison.Ordinal)
            || actionId.StartsWith(AlertFormatter.ResolveAction, StringComparison.Ordinal)
            || actionId.StartsWith(AlertFormatter.MuteAction, StringComparison.Ordinal);
    }

    public async Task<string?> PressAsync(string actionId, Principal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        ArgumentNullException.ThrowIfNull(principal);
        var colon = actionId.IndexOf(':', StringComparison.Ordinal);
        if (!long.TryParse(actionId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return "That button no longer does anything.";
        }

        var kind = actionId[..(colon + 1)];
        Log.AlertButton(logger, kind.TrimEnd(':'), id, principal.Id);
        AlertActionResult result;
        if (kind == AlertFormatter.AcknowledgeAction)
        {
            result = await alerts.AcknowledgeAsync(id, principal.DisplayName, cancellationToken);
        }
        else if (kind == AlertFormatter.ResolveAction)
        {
            if (!principal.HasRole(options.Value.ResolveRole))
            {
                return $"resolving alerts needs the `{options.Value.ResolveRole}` role.";
            }

            result = await alerts.ResolveAsync(id, principal.DisplayName, cancellationToken);
        }
        else
        {
            if (!principal.HasRole(options.Value.MuteRole))
            {
                return $"muting alerts needs the `{options.Value.MuteRole}` role.";
            }

            result = await alerts.MuteAsync($"#{id}", options.Value.ButtonMute, principal.DisplayName, cancellationToken);
        }

        await AuditAsync(audit, principal, kind.TrimEnd(':'), id, result, cancellationToken);
        return result.Refusal;
    }

    /// <summary>Every acknowledge, resolve and mute from chat goes to the audit trail, refusals included.</summary>
    internal static async Task AuditAsync(AuditTrail audit, Principal principal, string action, long? id, AlertActionResult result, CancellationToken cancellationToken)
    {
        var what = id is { } alertId ? $"alert #{alertId.ToString(CultureInfo.InvariantCulture)}" : "alerts";
        await audit.AppendAsync(new AuditEntry(principal.Id, principal.DisplayName, action, null, null,
            result.Succeeded ? $"{what}: done ({result.Alerts.Count} changed)" : $"{what}: refused: {result.Refusal}"), cancellationToken);
    }
}
