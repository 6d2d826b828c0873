namespace ChatOps.Radiator.Alerts;

public enum AlertStatus
{
    Firing,
    Acknowledged,
    Resolved,
}

/// <summary>An alert as a source reports it: the same fingerprint always means the same alert.</summary>
/// <param name="Fingerprint">Stable identity chosen by the source.</param>
/// <param name="Firing">True for firing, false for resolved.</param>
/// <param name="Title">One line for people.</param>
/// <param name="Severity">critical, error, warning or info.</param>
/// <param name="Labels">Key/value pairs used for routing, grouping and silences.</param>
/// <param name="StartsAt">When the source says it started; null means now.</param>
/// <param name="Description">Details, shown under the title.</param>
/// <param name="Source">Where it came from: <c>webhook</c>, <c>alertmanager</c>, <c>elasticsearch</c>, <c>rule</c>.</param>
public sealed record AlertSignal(
    string Fingerprint,
    bool Firing,
    string Title,
    string Severity,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset? StartsAt,
    string? Description,
    string Source);

/// <summary>One entry of an alert's history, shown in its thread.</summary>
public sealed record AlertTransition(DateTimeOffset At, string What, string? Who);

/// <summary>
/// The stored state of one alert. <see cref="Generation"/> counts firings: a re-fire after a
/// resolve starts a new generation, which gets its own message.
/// </summary>
public sealed record Alert
{
    public long Id { get; init; }

    public required string Fingerprint { get; init; }

    public required string Title { get; init; }

    public string Severity { get; init; } = "warning";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Description { get; init; }

    public string Source { get; init; } = "webhook";

    public AlertStatus Status { get; init; }

    public int Generation { get; init; } = 1;

    public DateTimeOffset StartsAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? ResolvedBy { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Firing/resolved flips within <see cref="AlertOptions.FlapWindow"/>, newest last.</summary>
    public IReadOnlyList<DateTimeOffset> Flips { get; init; } = [];

    public bool Flapping { get; init; }

    /// <summary>Set when the alert started soon after a deployment to its environment.</summary>
    public string? DeploymentNote { get; init; }

    /// <summary>The silence that mutes this alert, while it lasts.</summary>
    public string? MutedBy { get; init; }

    public DateTimeOffset? MutedUntil { get; init; }

    /// <summary>How many escalation steps have notified for this generation.</summary>
    public int EscalationStep { get; init; }

    public DateTimeOffset? NextEscalationAt { get; init; }

    public IReadOnlyList<AlertTransition> History { get; init; } = [];

    public string Group { get; init; } = "";

    /// <summary>
    /// The generation whose message has been queued. Behind <see cref="Generation"/> while a silence
    /// holds a new firing back, so lifting the silence knows to post it.
    /// </summary>
    public int Announced { get; init; }

    public bool IsMuted(DateTimeOffset now) => MutedUntil is { } until && until > now;

    public string StatusName => Status switch
    {
        AlertStatus.Firing => "firing",
        AlertStatus.Acknowledged => "acknowledged",
        _ => "resolved",
    };
}
