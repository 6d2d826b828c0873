using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// Schedule leases in the state store. A lease lasts <see cref="ReplicaIdentity.DeadAfter"/> from its last renewal,
/// and is renewed at each tick and with each heartbeat (<see cref="ReplicaHeartbeat"/>), so a schedule whose tick is
/// longer than that stays with its holder while the holder lives, and passes to another replica within
/// <see cref="ReplicaIdentity.DeadAfter"/> of the holder's death (at that replica's next tick).
/// </summary>
public sealed class ScheduleOwnership(ScheduleLeaseStore store, ReplicaIdentity self, TimeProvider time, ILogger<ScheduleOwnership> logger) : IScheduleOwnership
{
    private readonly ConcurrentDictionary<string, long> _held = new(StringComparer.Ordinal);

    public async Task<bool> HoldsAsync(string schedule, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schedule);
        var now = time.GetUtcNow();
        var token = await store.TryHoldAsync(schedule, self.Name, now, now + self.DeadAfter, self.DeadBefore(now), cancellationToken);
        if (token is { } held)
        {
            if (!_held.TryGetValue(schedule, out var previous) || previous != held)
            {
                Log.ScheduleTaken(logger, schedule, self.Name, held);
            }

            _held[schedule] = held;
            return true;
        }

        if (_held.TryRemove(schedule, out _))
        {
            Log.ScheduleLost(logger, schedule, self.Name);
        }

        return false;
    }

    public ScheduleFence? FenceOf(string schedule) => _held.TryGetValue(schedule, out var token) ? new ScheduleFence(schedule, token) : null;

    /// <summary>Forgets every lease held, after a clean stop released them.</summary>
    internal void Forget() => _held.Clear();
}
