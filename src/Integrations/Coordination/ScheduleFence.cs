namespace ChatOps.Integrations.Coordination;

/// <summary>
/// The lease a schedule's write was made under. A store that must refuse a stale holder's write checks it in the
/// write's own transaction (<see cref="ScheduleLeaseStore.IsCurrentAsync"/>): once another replica took the schedule,
/// the token has grown and the write changes nothing.
/// </summary>
public sealed record ScheduleFence(string Schedule, long Token);
