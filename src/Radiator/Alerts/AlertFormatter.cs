using System.Globalization;
using System.Text;
using ChatOps.Integrations.Chat;
using Humanizer;

namespace ChatOps.Radiator.Alerts;

/// <summary>Renders an alert's one message (edited in place) and the lines in its thread. Pure.</summary>
public static class AlertFormatter
{
    public const string AcknowledgeAction = "alert-ack:";
    public const string ResolveAction = "alert-resolve:";
    public const string MuteAction = "alert-mute:";

    /// <param name="alert">The alert shown.</param>
    /// <param name="now">For mutes and durations.</param>
    /// <param name="group">Its group's open alerts: the lead lists them, members point to the lead.</param>
    public static OutgoingMessage Render(Alert alert, DateTimeOffset now, AlertGroup? group = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var text = new StringBuilder();
        text.Append(Icon(alert, now)).Append(" *[").Append(alert.Severity.ToUpperInvariant()).Append("] ").Append(alert.Title).Append("* — ");
        text.Append(alert.Status switch
        {
            AlertStatus.Firing => "firing",
            // A time each platform shows itself (the web chat keeps "5 minutes ago" current), never text that goes stale.
            AlertStatus.Acknowledged => $"acknowledged by {alert.AcknowledgedBy} at {ChatTime.Mark(alert.AcknowledgedAt!.Value)}",
            _ => $"resolved by {alert.ResolvedBy} after {Span((alert.ResolvedAt ?? now) - alert.StartsAt)}",
        });
        if (!string.IsNullOrWhiteSpace(alert.Description))
        {
            text.Append('\n').Append(alert.Description.Length > 500 ? alert.Description[..500] + "…" : alert.Description);
        }

        // The group's labels are among the labels below: printed here too, they read as said twice.
        var context = new List<string> { $"#{alert.Id} · started {ChatTime.Mark(alert.StartsAt)} · {alert.Source}" };
        if (alert.Labels.Count > 0)
        {
            context.Add("Labels: " + string.Join(", ", alert.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        }

        if (alert.DeploymentNote is { } deployment)
        {
            context.Add($"🚀 {deployment}");
        }

        if (alert.Flapping)
        {
            context.Add($"⚠️ Flapping: {alert.Flips.Count} changes recently");
        }

        if (alert.IsMuted(now))
        {
            context.Add($"🔕 Muted until {ChatTime.Mark(alert.MutedUntil!.Value)} ({alert.MutedBy})");
        }

        if (alert.Generation > 1)
        {
            context.Add($"Fired {alert.Generation} times");
        }

        if (group?.ContextLine(alert) is { } grouped)
        {
            context.Add(grouped);
        }

        var buttons = new List<ChatButton>();
        if (alert.Status == AlertStatus.Firing)
        {
            buttons.Add(new ChatButton(AcknowledgeAction + Id(alert), "Acknowledge", ButtonStyle.Primary));
        }

        if (alert.Status != AlertStatus.Resolved)
        {
            buttons.Add(new ChatButton(ResolveAction + Id(alert), "Resolve"));
            if (!alert.IsMuted(now))
            {
                // Muting hides nothing for good (it expires, visibly): not styled as a destructive act.
                buttons.Add(new ChatButton(MuteAction + Id(alert), "Mute"));
            }
        }

        return new OutgoingMessage { Text = text.ToString(), Context = context, Buttons = buttons };
    }

    /// <summary>The thread line for one history entry.</summary>
    public static OutgoingMessage Detail(Alert alert, AlertTransition transition)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(transition);
        return OutgoingMessage.Plain($"{ChatTime.Mark(transition.At)}: {transition.What}" + (transition.Who is null ? "" : $" by {transition.Who}"));
    }

    /// <summary>One line for <c>/alert list</c>.</summary>
    public static string Line(Alert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        // Times each platform shows itself, so the list does not go stale the moment it is posted.
        var state = alert.Status == AlertStatus.Acknowledged ? $"acknowledged by {alert.AcknowledgedBy} at {ChatTime.Mark(alert.AcknowledgedAt!.Value)}" : alert.StatusName;
        return $"#{alert.Id} {Icon(alert, now)} [{alert.Severity}] {alert.Title} — {state}, since {ChatTime.Mark(alert.StartsAt)}"
            + (alert.IsMuted(now) ? " (muted)" : "") + (alert.Flapping ? " (flapping)" : "");
    }

    private static string Id(Alert alert) => alert.Id.ToString(CultureInfo.InvariantCulture);

    private static string Icon(Alert alert, DateTimeOffset now) => alert.Status switch
    {
        AlertStatus.Resolved => "✅",
        AlertStatus.Acknowledged => "👀",
        _ when alert.IsMuted(now) => "🔕",
        _ => alert.Severity.Equals("critical", StringComparison.OrdinalIgnoreCase) ? "🔴" : "🟠",
    };

    public static string Span(TimeSpan span) =>
        span.Duration().Humanize(precision: 1, culture: CultureInfo.InvariantCulture, minUnit: TimeUnit.Second);
}
