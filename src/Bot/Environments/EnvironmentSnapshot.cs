using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Environments;

/// <summary>An environment as it is now: what its provider sees, who holds it, and its last run.</summary>
public sealed record EnvironmentSnapshot(EnvironmentDefinition Definition, EnvironmentObservation Observation, LeaseInfo? Lease, LockInfo? Lock, RunRecord? LastRun)
{
    public string State => Observation.State.ToString().ToLowerInvariant();
}

/// <summary>Reads snapshots for <c>status</c>, <c>list</c> and the JSON API.</summary>
public sealed class EnvironmentSnapshots(ComputeProviders providers, RunStore runs, LockStore locks)
{
    public async Task<EnvironmentSnapshot> ReadAsync(EnvironmentDefinition environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var observation = await providers.Get(environment.Provider).ObserveAsync(environment.Target, cancellationToken);
        var lease = await runs.GetLeaseAsync(environment.Name, cancellationToken);
        var held = await locks.GetAsync(environment.Name, cancellationToken);
        var last = (await runs.ListAsync(environment.Name, 1, cancellationToken)).FirstOrDefault();
        return new EnvironmentSnapshot(environment, observation, lease, held, last);
    }
}
