using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

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
internal sealed class EnvironmentSnapshots(ComputeProviders providers, RunStore runs, LockStore locks, ILoadBalancer loadBalancer, DriftStore incidents)
{
    public async Task<EnvironmentSnapshot> ReadAsync(EnvironmentDefinition environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var observation = await providers.Get(environment.Provider).ObserveAsync(environment.Target, cancellationToken);
        var lease = await runs.GetLeaseAsync(environment.Name, cancellationToken);
        var held = await locks.GetAsync(environment.Name, cancellationToken);
        var last = (await runs.ListAsync(environment.Name, 1, cancellationToken)).FirstOrDefault();
        var snapshot = new EnvironmentSnapshot(environment, observation, lease, held, last) { Incident = await incidents.GetOpenAsync(environment.Name, cancellationToken) };
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
