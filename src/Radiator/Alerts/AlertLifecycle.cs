namespace ChatOps.Radiator.Alerts;

/// <summary>
/// The pure rules of an alert's life: firing → acknowledged → resolved, re-fire, acknowledgement
/// expiry, flapping. Each function returns the new state, or the same instance when nothing changes
/// (so a re-delivered signal is a no-op).
/// </summary>
internal static class AlertLifecycle
{
    public static Alert Receive(Alert? current, AlertSignal signal, DateTimeOffset now, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(options);
        var group = GroupOf(signal.Labels, options);
        if (current is null)
        {
            var fresh = new Alert
            {
                Fingerprint = signal.Fingerprint,
                Title = signal.Title,
                Severity = signal.Severity,
                Labels = signal.Labels,
                Description = signal.Description,
                Source = signal.Source,
                Group = group,
                Status = signal.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
                StartsAt = signal.StartsAt ?? now,
                UpdatedAt = now,
                ResolvedAt = signal.Firing ? null : now,
                ResolvedBy = signal.Firing ? null : signal.Source,
                History = [new AlertTransition(now, signal.Firing ? "fired" : "arrived resolved", null)],
            };
            return fresh;
        }

        var details = current with
        {
            Title = signal.Title,
            Severity = signal.Severity,
            Labels = SameLabels(current.Labels, signal.Labels) ? current.Labels : signal.Labels,
            Description = signal.Description,
            Group = group,
        };
        var detailsChanged = details.Title != current.Title || details.Severity != current.Severity
            || !ReferenceEquals(details.Labels, current.Labels) || details.Description != current.Description;

        if (signal.Firing && current.Status == AlertStatus.Resolved)
        {
            var flips = Flip(current.Flips, now, options);
            return details with
            {
                Status = AlertStatus.Firing,
                Generation = current.Generation + 1,
                StartsAt = signal.StartsAt is { } s && s > (current.ResolvedAt ?? DateTimeOffset.MinValue) ? s : now,
                UpdatedAt = now,
                AcknowledgedAt = null,
                AcknowledgedBy = null,
                ResolvedAt = null,
                ResolvedBy = null,
                DeploymentNote = null,
                EscalationStep = 0,
                NextEscalationAt = null,
                Flips = flips,
                Flapping = flips.Count >= options.FlapThreshold,
                History = [.. current.History, new AlertTransition(now, "fired again", null)],
            };
        }

        if (!signal.Firing && current.Status != AlertStatus.Resolved)
        {
            var flips = Flip(current.Flips, now, options);
            return details with
            {
                Status = AlertStatus.Resolved,
                UpdatedAt = now,
                ResolvedAt = now,
                ResolvedBy = signal.Source,
                NextEscalationAt = null,
                Flips = flips,
                Flapping = flips.Count >= options.FlapThreshold,
                History = [.. current.History, new AlertTransition(now, $"resolved by {signal.Source}", null)],
            };
        }

        return detailsChanged ? details with { UpdatedAt = now } : current;
    }

    public static (Alert Alert, string? Refusal) Acknowledge(Alert current, string who, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.Status switch
        {
            AlertStatus.Resolved => (current, $"Alert #{current.Id} is already resolved."),
            AlertStatus.Acknowledged when current.AcknowledgedBy == who => (current, null),
            _ => (current with
            {
                Status = AlertStatus.Acknowledged,
                AcknowledgedBy = who,
                AcknowledgedAt = now,
                UpdatedAt = now,
                NextEscalationAt = null,
                History = [.. current.History, new AlertTransition(now, "acknowledged", who)],
            }, null),
        };
    }

    public static (Alert Alert, string? Refusal) Resolve(Alert current, string who, DateTimeOffset now, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        if (current.Status == AlertStatus.Resolved)
        {
            return (current, $"Alert #{current.Id} is already resolved.");
        }

        var flips = Flip(current.Flips, now, options);
        return (current with
        {
            Status = AlertStatus.Resolved,
            ResolvedAt = now,
            ResolvedBy = who,
            UpdatedAt = now,
            NextEscalationAt = null,
            Flips = flips,
            Flapping = flips.Count >= options.FlapThreshold,
            History = [.. current.History, new AlertTransition(now, "resolved", who)],
        }, null);
    }

    /// <summary>An acknowledgement older than <see cref="AlertOptions.AcknowledgementExpiry"/> lapses: the alert fires again.</summary>
    public static Alert ExpireAcknowledgement(Alert current, DateTimeOffset now, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        return current is { Status: AlertStatus.Acknowledged, AcknowledgedAt: { } at } && at + options.AcknowledgementExpiry <= now
            ? current with
            {
                Status = AlertStatus.Firing,
                AcknowledgedAt = null,
                AcknowledgedBy = null,
                UpdatedAt = now,
                EscalationStep = 0,
                NextEscalationAt = null,
                History = [.. current.History, new AlertTransition(now, $"acknowledgement by {current.AcknowledgedBy} expired", null)],
            }
            : current;
    }

    /// <summary>Labels named by <see cref="AlertOptions.GroupBy"/>, as <c>name=value</c>; alerts with equal groups belong together.</summary>
    public static string GroupOf(IReadOnlyDictionary<string, string> labels, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        return string.Join(", ", options.GroupBy
            .Select(g => (Name: g, Value: labels.FirstOrDefault(l => l.Key.Equals(g, StringComparison.OrdinalIgnoreCase)).Value))
            .Where(g => g.Value is not null)
            .Select(g => $"{g.Name}={g.Value}"));
    }

    private static List<DateTimeOffset> Flip(IReadOnlyList<DateTimeOffset> flips, DateTimeOffset now, AlertOptions options) =>
        [.. flips.Where(f => f > now - options.FlapWindow), now];

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
