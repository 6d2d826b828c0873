using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// Degraded while a live replica runs with settings that every replica must share set differently (<see cref="ReplicaSettings"/>),
/// naming it and the sections; healthy otherwise. The <see cref="ReplicaHeartbeat"/> compares at each read of the replicas.
/// </summary>
public sealed class ReplicaSettingsHealthCheck : IHealthCheck
{
    public const string Name = "replica-settings";

    private volatile string? _differences;

    /// <summary>What differs, as the heartbeat last found it ("replica-b: ChatDelivery, Identity"); null when nothing does.</summary>
    public string? Differences => _differences;

    /// <summary>Records the replicas that differ and in which sections; returns true when that changed since the last time.</summary>
    public bool Report(IEnumerable<(string Replica, IReadOnlyList<string> Sections)> differing)
    {
        ArgumentNullException.ThrowIfNull(differing);
        var text = string.Join("; ", differing.Where(d => d.Sections.Count > 0).Select(d => $"{d.Replica}: {string.Join(", ", d.Sections)}"));
        var now = text.Length == 0 ? null : text;
        return !string.Equals(Interlocked.Exchange(ref _differences, now), now, StringComparison.Ordinal);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_differences is { } differences
            ? HealthCheckResult.Degraded($"Replicas run with different settings that must match ({differences}); see README, Several replicas.")
            : HealthCheckResult.Healthy("Every live replica has the same shared settings."));
}
