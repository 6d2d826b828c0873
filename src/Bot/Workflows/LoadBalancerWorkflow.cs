using ChatOps.Bot.Environments;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>Weights and the sorry page through the environment's load balancer.</summary>
internal sealed class LoadBalancerWorkflow(ILoadBalancer loadBalancer, ComputeProviders providers, LoadBalancerReadiness readiness) : IWorkflow
{
    public IReadOnlyCollection<Type> Arguments { get; } = [typeof(BalanceArguments), typeof(SorryArguments)];

    public Task<IReadOnlyList<string>> PlanAsync(EnvironmentDefinition environment, RunArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        IReadOnlyList<string> steps = arguments switch
        {
            BalanceArguments balance => [$"Set weights {balance.Describe()}"],
            SorryArguments { Show: true } => ["Serve the sorry page: every server in maintenance"],
            SorryArguments => ["Bring every server back from maintenance"],
            _ => throw Unsupported(arguments),
        };
        return Task.FromResult(steps);
    }

    public async Task RunAsync(EnvironmentDefinition environment, RunArguments arguments, IRunProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(progress);
        progress.Step(0, StepState.Running);
        try
        {
            var change = arguments switch
            {
                BalanceArguments balance => loadBalancer.SetWeightsAsync(environment.Name, balance.Weights.ToDictionary(StringComparer.OrdinalIgnoreCase), cancellationToken),
                SorryArguments sorry => loadBalancer.SetSorryAsync(environment.Name, sorry.Show, sorry.Message, cancellationToken),
                _ => throw Unsupported(arguments),
            };
            await change;
        }
        catch (LoadBalancerException e)
        {
            throw new ProviderException(e.Message, inner: e);
        }

        if (arguments is SorryArguments { Show: false })
        {
            // Back from maintenance means serving again: wait for the servers whose nodes are healthy (a
            // node that is down stays down, and the page then shows the default message).
            var observation = await providers.Get(environment.Provider).ObserveAsync(environment.Target, cancellationToken);
            var healthy = observation.Nodes.Where(n => n.Health == NodeHealth.Healthy).Select(n => n.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var servers = (await loadBalancer.GetStatusAsync(environment.Name, cancellationToken)).Servers.Select(s => s.Name).Where(healthy.Contains).ToList();
            await readiness.WaitUntilUpAsync(environment.Name, servers, cancellationToken);
        }

        var status = await loadBalancer.GetStatusAsync(environment.Name, cancellationToken);
        progress.Step(0, StepState.Succeeded, string.Join(", ", status.Servers.Select(s => $"{s.Name} {s.Weight} {s.State}")));
    }

    private static ArgumentException Unsupported(RunArguments arguments) =>
        new($"The load balancer does not run {arguments.GetType().Name}.", nameof(arguments));
}
