using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Watch;

/// <summary>An environment as it is now: what its provider sees, who holds it, and its last run.</summary>
internal sealed record EnvironmentSnapshot(EnvironmentDefinition Definition, EnvironmentObservation Observation, LeaseInfo? Lease, LockInfo? Lock, RunRecord? LastRun)
{
    /// <summary>The load balancer's view, when the environment has one that can be asked.</summary>
    public LoadBalancerStatus? LoadBalancer { get; init; }

    /// <summary>Why <see cref="LoadBalancer"/> is missing although the environment has one configured.</summary>
    public string? LoadBalancerProblem { get; init; }

    /// <summary>Drift the watch found outside a run and has not seen end; the environment then reads <c>degraded</c>.</summary>
    public DriftIncident? Incident { get; init; }

    public string State => Incident is not null ? "degraded" : Observation.State.ToString().ToLowerInvariant();
}

/// <summary>Reads snapshots for <c>status</c>, <c>list</c> and the JSON API.</summary>
internal sealed class EnvironmentSnapshots(
    ComputeProviders providers, StateDatabase database, RunStore runs, LockStore locks, ILoadBalancer loadBalancer)
{
    public async Task<EnvironmentSnapshot> ReadAsync(EnvironmentDefinition environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var observation = await providers.Get(environment.Provider).ObserveAsync(environment.Target, cancellationToken);
        // One committed state: a run that ends meanwhile cannot show both as holding the lease and as the last run ended.
        var name = environment.Name;
        var snapshot = await database.ReadSnapshotAsync(async (c, t) =>
            new EnvironmentSnapshot(environment, observation, await runs.GetLeaseAsync(c, t, name, cancellationToken), await locks.GetAsync(c, t, name, cancellationToken),
                (await RunStore.ListAsync(c, t, name, 1, cancellationToken)).FirstOrDefault())
            {
                Incident = await DriftStore.GetOpenAsync(c, t, name, cancellationToken),
            }, cancellationToken);
        return environment.HasLoadBalancer ? await WithLoadBalancerAsync(snapshot, cancellationToken) : snapshot;
    }

    private async Task<EnvironmentSnapshot> WithLoadBalancerAsync(EnvironmentSnapshot snapshot, CancellationToken cancellationToken)
    {
        var name = snapshot.Definition.Name;
        var availability = await loadBalancer.CheckAvailabilityAsync(name, cancellationToken);
        if (!availability.Available)
        {
            return snapshot with { LoadBalancerProblem = availability.Reason };
        }

        try
        {
            return snapshot with { LoadBalancer = await loadBalancer.GetStatusAsync(name, cancellationToken) };
        }
        catch (LoadBalancerException e)
        {
            return snapshot with { LoadBalancerProblem = e.Message };
        }
    }
}
