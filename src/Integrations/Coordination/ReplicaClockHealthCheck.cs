using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// Degraded while this replica's clock is off the database server's by more than half of
/// <see cref="ReplicaOptions.ClockTolerance"/>, so that two replicas within it of the server are within the tolerance of
/// each other. The <see cref="ReplicaHeartbeat"/> measures at each beat; a store on this machine (SQLite) shares its clock.
/// </summary>
public sealed class ReplicaClockHealthCheck : IHealthCheck
{
    public const string Name = "replica-clock";

    private volatile string? _problem;

    /// <summary>What is wrong with the clock as last measured; null when nothing is.</summary>
    public string? Problem => _problem;

    /// <summary>Records <paramref name="offset"/>; returns true when whether the clock is too far off changed since the last time.</summary>
    public bool Report(ClockOffset offset, TimeSpan tolerance)
    {
        var allowed = tolerance / 2;
        var now = offset.Exceeds(allowed)
            ? $"this replica's clock is {offset.Describe()} the database server's, more than half of {ReplicaOptions.SectionName}:ClockTolerance "
              + $"({tolerance.TotalMilliseconds:0} ms) allows"
            : null;
        var before = Interlocked.Exchange(ref _problem, now);
        return before is null != now is null;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_problem is { } problem
            ? HealthCheckResult.Degraded($"{char.ToUpperInvariant(problem[0])}{problem[1..]}: an answer given at once may miss a command another replica "
                + "just finished, and heartbeats and leases are misjudged. Synchronise the clocks (NTP).")
            : HealthCheckResult.Healthy("This replica's clock agrees with the state store's (or shares it)."));
}
