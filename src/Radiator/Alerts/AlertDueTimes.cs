using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// When the tick next has something to do for an alert: an acknowledgement or a mute running out, a firing a silence
/// held back, an escalation to start or to take. <see cref="AlertStore"/> keeps it beside each alert, so a tick reads the
/// alerts that are due, not every open alert of a storm. It must never be later than the moment the tick would change or
/// escalate the alert; earlier only costs the tick a look.
/// </summary>
public sealed class AlertDueTimes(IOptions<AlertOptions> options, AlertRouting routing)
{
    /// <summary>The moment <paramref name="alert"/> is next due, or null when time alone will change nothing.</summary>
    public DateTimeOffset? Of(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Status == AlertStatus.Resolved)
        {
            return null;
        }

        DateTimeOffset? next = null;
        if (alert is { Status: AlertStatus.Acknowledged, AcknowledgedAt: { } acknowledged })
        {
            next = Earlier(next, acknowledged + options.Value.AcknowledgementExpiry);
        }

        if (alert.MutedUntil is { } until)
        {
            // A mute holds escalation back too: its end is looked at, and escalation starts from there.
            return Earlier(next, until);
        }

        if (alert.Announced != alert.Generation)
        {
            next = Earlier(next, alert.UpdatedAt); // held back with no mute to end it: the tick posts it at once
        }

        if (alert.Status == AlertStatus.Firing)
        {
            if (alert.NextEscalationAt is { } step)
            {
                next = Earlier(next, step);
            }
            else if (alert.EscalationStep == 0 && routing.EscalationOf(alert).Count > 0)
            {
                next = Earlier(next, alert.UpdatedAt); // its first step is not scheduled yet: the tick schedules it
            }
        }

        return next;
    }

    private static DateTimeOffset Earlier(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } known && known <= candidate ? known : candidate;
}
