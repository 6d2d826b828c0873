using System.Globalization;
using ChatOps.Bot.Environments;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>balance and sorry: weights and the sorry page through the environment's load balancer.</summary>
public sealed class LoadBalancerWorkflow(ILoadBalancer loadBalancer, ComputeProviders providers, LoadBalancerReadiness readiness) : IWorkflow
{
    public IReadOnlyCollection<string> Verbs { get; } = ["balance", "sorry"];

    public Task<IReadOnlyList<string>> PlanAsync(EnvironmentDefinition environment, string verb, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        IReadOnlyList<string> steps = verb switch
        {
            "balance" => [$"Set weights {arguments["weights"].Replace(",", ", ", StringComparison.Ordinal)}"],
            _ when arguments.GetValueOrDefault("state") == "on" => ["Serve the sorry page: every server in maintenance"],
            _ => ["Bring every server back from maintenance"],
        };
        return Task.FromResult(steps);
    }

    public async Task RunAsync(EnvironmentDefinition environment, string verb, IReadOnlyDictionary<string, string> arguments, IRunProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(progress);
        progress.Step(0, StepState.Running);
        try
        {
            if (verb == "balance")
            {
                await loadBalancer.SetWeightsAsync(environment.Name, ParseWeights(arguments["weights"]), cancellationToken);
            }
            else
            {
                await loadBalancer.SetSorryAsync(environment.Name, arguments.GetValueOrDefault("state") == "on", arguments.GetValueOrDefault("message"), cancellationToken);
            }
        }
        catch (LoadBalancerException e)
        {
            throw new ProviderException(e.Message, inner: e);
        }

        if (verb == "sorry" && arguments.GetValueOrDefault("state") != "on")
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

    /// <summary>Weights travel in the run's arguments as <c>web1=80,web2=20</c>.</summary>
    public static string FormatWeights(IEnumerable<KeyValuePair<string, int>> weights) =>
        string.Join(',', weights.Select(w => $"{w.Key}={w.Value.ToString(CultureInfo.InvariantCulture)}"));

    public static Dictionary<string, int> ParseWeights(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);
}
