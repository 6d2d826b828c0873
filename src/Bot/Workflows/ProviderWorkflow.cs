using ChatOps.Bot.Environments;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// Runs on nodes (<see cref="NodeRunArguments"/>): the environment's compute provider does the work; then, when the
/// environment has a load balancer, nodes that came up are added to it and nodes that went are removed.
/// </summary>
internal sealed class ProviderWorkflow(ComputeProviders providers, ILoadBalancer loadBalancer, LoadBalancerReadiness readiness) : IWorkflow
{
    public IReadOnlyCollection<Type> Arguments { get; } = [typeof(NodeRunArguments)];

    public Task<IReadOnlyList<string>> PlanAsync(EnvironmentDefinition environment, RunArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var steps = providers.Get(environment.Provider).Plan(Operation(environment, arguments)).ToList();
        if (environment.HasLoadBalancer)
        {
            steps.Add("Update the load balancer");
        }

        return Task.FromResult<IReadOnlyList<string>>(steps);
    }

    public async Task RunAsync(EnvironmentDefinition environment, RunArguments arguments, IRunProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(progress);
        var provider = providers.Get(environment.Provider);
        await provider.RunAsync(Operation(environment, arguments), progress, cancellationToken);
        if (environment.HasLoadBalancer)
        {
            // The run carries its plan: the load balancer's step is its last, so the provider is not asked to plan again.
            await UpdateLoadBalancerAsync(environment, provider, progress.Plan.Count - 1, progress, cancellationToken);
        }
    }

    private async Task UpdateLoadBalancerAsync(EnvironmentDefinition environment, IComputeProvider provider, int step, IProviderProgress progress, CancellationToken cancellationToken)
    {
        progress.Step(step, StepState.Running);
        var availability = await loadBalancer.CheckAvailabilityAsync(environment.Name, cancellationToken);
        if (!availability.Available)
        {
            progress.Step(step, StepState.Skipped, availability.Reason);
            return;
        }

        try
        {
            // Observed again, after the provider ran (not before): which nodes came up healthy decides what the front sends traffic to.
            var observation = await provider.ObserveAsync(environment.Target, cancellationToken);
            var changes = new List<string>();
            var enabled = new List<string>();
            foreach (var node in observation.Nodes)
            {
                if (node is { Health: NodeHealth.Healthy, Url: { } url })
                {
                    await loadBalancer.AddServerAsync(environment.Name, node.Name, url, cancellationToken);
                    changes.Add($"+{node.Name}");
                    enabled.Add(node.Name);
                }
                else
                {
                    await loadBalancer.RemoveServerAsync(environment.Name, node.Name, cancellationToken);
                    changes.Add($"-{node.Name}");
                }
            }

            var status = await loadBalancer.GetStatusAsync(environment.Name, cancellationToken);
            if (!status.Sorry && enabled.Count > 0)
            {
                // Behind the sorry page the servers stay in maintenance on purpose; otherwise done means serving.
                progress.Step(step, StepState.Running, $"waiting until {string.Join(", ", enabled)} serve{(enabled.Count == 1 ? "s" : "")}");
                await readiness.WaitUntilUpAsync(environment.Name, enabled, cancellationToken);
            }

            progress.Step(step, StepState.Succeeded, $"{string.Join(" ", changes)}{(status.FrontUrl is null ? "" : $" behind {status.FrontUrl}")}");
        }
        catch (LoadBalancerException e)
        {
            throw new ProviderException($"The nodes are done but the load balancer failed: {e.Message}", inner: e);
        }
    }

    internal static ProviderOperation Operation(EnvironmentDefinition environment, RunArguments arguments) => arguments is NodeRunArguments node
        ? new(node.Operation, environment.Target, node.Version)
        : throw new ArgumentException($"The provider does not run {arguments.GetType().Name}.", nameof(arguments));
}
