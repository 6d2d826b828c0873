namespace ChatOps.Integrations.Coordination;

/// <summary>
/// Which replica runs a schedule (pulse, an Elasticsearch tail, escalation, rule evaluation, retention, the
/// deployment watch): each asks before each tick, and runs the tick only when it holds the schedule's lease.
/// </summary>
public interface IScheduleOwnership
{
    /// <summary>
    /// Takes or renews the lease on <paramref name="schedule"/>; true when this replica holds it and should run this
    /// tick. A replica that lost the lease hears false at its next tick and skips it.
    /// </summary>
    Task<bool> HoldsAsync(string schedule, CancellationToken cancellationToken);

    /// <summary>The lease this replica last held on <paramref name="schedule"/>, or null; for writes that must check it.</summary>
    ScheduleFence? FenceOf(string schedule);
}
