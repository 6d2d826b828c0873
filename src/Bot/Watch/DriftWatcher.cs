using ChatOps.Bot.Environments;
using System.Collections.Concurrent;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Infrastructure;
using ChatOps.Radiator.Deployments;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Watch;

/// <summary>
/// Every <see cref="WatchOptions.Interval"/>, observes each environment the bot believes up (its provider,
/// and its load balancer when it has one) and turns drift outside a run into an incident: one notice in the
/// environment's channel and the deploys channels when a node stops serving, edited when it comes back.
/// Environments with a run in progress are left alone: the run's own message speaks for them. With several replicas one
/// of them watches (the holder of the <see cref="Schedule"/> lease), so an incident is not reported once per replica.
/// </summary>
internal sealed class DriftWatcher(
    EnvironmentCatalog environments,
    ComputeProviders providers,
    ILoadBalancer loadBalancer,
    RunStore runs,
    RunKinds kinds,
    DriftStore incidents,
    DriftNotices notices,
    IOptions<WatchOptions> options,
    IOptions<DeploymentOptions> deployments,
    IScheduleOwnership ownership,
    TimeProvider time,
    ILogger<DriftWatcher> logger) : BackgroundService
{
    public const string Schedule = "drift-watch";

    private const string LoadBalancerDown = "DOWN";

    // When each node was last seen healthy, for "stopped responding 40 seconds ago"; unknown after a start.
    private readonly ConcurrentDictionary<(string Environment, string Node), DateTimeOffset> _lastHealthy = new();
    private readonly HashSet<long> _seenOpen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!await HoldsScheduleAsync(stoppingToken))
            {
                continue;
            }

            foreach (var environment in environments.All)
            {
                try
                {
                    await CheckAsync(environment, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.CheckFailed(logger, environment.Name, e);
                }
            }
        }
    }

    private async Task<bool> HoldsScheduleAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await ownership.HoldsAsync(Schedule, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The store is unreachable: the next tick asks again.
            Log.ScheduleUnknown(logger, e);
            return false;
        }
    }

    /// <summary>One look at one environment; public for tests that drive it without waiting for the timer.</summary>
    public async Task CheckAsync(EnvironmentDefinition environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var before = await EnvironmentBelief.ReadAsync(runs, kinds, environment.Name, cancellationToken);
        if (before.Busy)
        {
            return;
        }

        var open = await incidents.GetOpenAsync(environment.Name, cancellationToken);
        if (open is not null && _seenOpen.Add(open.Id))
        {
            Log.IncidentStillOpen(logger, environment.Name, open.Id);
        }

        if (!before.Up)
        {
            if (open is not null && before.DecidingRun is { } run)
            {
                var byRun = $"{run.Verb} by {run.RequesterName} (run {run.Id})";
                if (await incidents.ResolveAsync(open.Id, time.GetUtcNow(), byRun, cancellationToken))
                {
                    Log.IncidentEndedByRun(logger, environment.Name, open.Id, byRun);
                    await notices.EndedByRunAsync(open, byRun, cancellationToken);
                }
            }

            return;
        }

        var problems = await ObserveAsync(environment, cancellationToken);
        var after = await EnvironmentBelief.ReadAsync(runs, kinds, environment.Name, cancellationToken);
        if (after.Busy || after.NewestRunId != before.NewestRunId)
        {
            return; // a run began while we looked: what we saw may be its doing
        }

        if (problems.Count > 0)
        {
            await DegradedAsync(environment, open, problems, before.DecidingRun!, cancellationToken);
        }
        else if (open is not null && await incidents.ResolveAsync(open.Id, time.GetUtcNow(), "recovered", cancellationToken))
        {
            Log.IncidentRecovered(logger, environment.Name, open.Id);
            await notices.RecoveredAsync(open, cancellationToken);
        }
    }

    private async Task DegradedAsync(EnvironmentDefinition environment, DriftIncident? open, List<NodeProblem> problems, RunRecord upRun, CancellationToken cancellationToken)
    {
        if (open is null)
        {
            var startedAt = problems.Min(p => p.Since) ?? time.GetUtcNow();
            var (opened, incident) = await incidents.OpenAsync(environment.Name, startedAt, problems, Destinations(upRun), cancellationToken);
            if (opened)
            {
                Log.IncidentOpened(logger, environment.Name, incident.Id, Describe(problems));
                _seenOpen.Add(incident.Id);
                await notices.OpenedAsync(incident, cancellationToken);
            }

            return;
        }

        if (!Describe(open.Problems).Equals(Describe(problems), StringComparison.Ordinal))
        {
            // Keep the first "since" of a node that was already failing; add the newcomers.
            var merged = problems.Select(p => open.Problems.FirstOrDefault(o => o.Node == p.Node && o.What == p.What) ?? p).ToList();
            await incidents.UpdateProblemsAsync(open.Id, merged, cancellationToken);
            Log.IncidentChanged(logger, environment.Name, open.Id, Describe(merged));
            await notices.ChangedAsync(open with { Problems = merged }, cancellationToken);
        }
    }

    private async Task<List<NodeProblem>> ObserveAsync(EnvironmentDefinition environment, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var observation = await providers.Get(environment.Provider).ObserveAsync(environment.Target, cancellationToken);
        var problems = new List<NodeProblem>();
        foreach (var node in observation.Nodes)
        {
            if (node.Health == NodeHealth.Healthy)
            {
                _lastHealthy[(environment.Name, node.Name)] = now;
            }
            else
            {
                problems.Add(new NodeProblem(node.Name, "stopped responding", _lastHealthy.TryGetValue((environment.Name, node.Name), out var seen) ? seen : null));
            }
        }

        if (environment.HasLoadBalancer && (await loadBalancer.CheckAvailabilityAsync(environment.Name, cancellationToken)).Available)
        {
            try
            {
                var status = await loadBalancer.GetStatusAsync(environment.Name, cancellationToken);
                // Servers put in maintenance or drained on purpose (balance, sorry) are not drift; DOWN is.
                problems.AddRange(status.Servers
                    .Where(s => s.State == LoadBalancerDown && problems.TrueForAll(p => p.Node != s.Name))
                    .Select(s => new NodeProblem(s.Name, "is down at the load balancer", null)));
            }
            catch (LoadBalancerException)
            {
                // The load balancer's view is a second opinion; the provider's stands without it.
            }
        }

        return problems;
    }

    /// <summary>The channel the environment was brought up from, and the deploys channels.</summary>
    private List<ChatDestination> Destinations(RunRecord upRun) =>
        [.. new[] { upRun.Destination }.Concat(Radiator.Destinations.ParseAll(deployments.Value.Channels)).Distinct()];

    private static string Describe(IEnumerable<NodeProblem> problems) => string.Join("; ", problems.Select(p => $"{p.Node} {p.What}"));
}
