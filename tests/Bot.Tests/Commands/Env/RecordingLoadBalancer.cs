using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Commands.Env;

/// <summary>A load balancer with <c>web1</c> and <c>web2</c> behind it, serving; it records each change and shows it in its status.</summary>
internal sealed class RecordingLoadBalancer : ILoadBalancer
{
    private readonly Dictionary<string, int> _weights = new(StringComparer.OrdinalIgnoreCase) { ["web1"] = 100, ["web2"] = 100 };

    public List<IReadOnlyDictionary<string, int>> WeightChanges { get; } = [];

    public List<(bool On, string? Message)> SorryChanges { get; } = [];

    public bool Sorry { get; set; }

    public Task<LoadBalancerAvailability> CheckAvailabilityAsync(string environment, CancellationToken cancellationToken) =>
        Task.FromResult(new LoadBalancerAvailability(true));

    public Task<LoadBalancerStatus> GetStatusAsync(string environment, CancellationToken cancellationToken) =>
        Task.FromResult(new LoadBalancerStatus(new Uri("http://127.0.0.1:8000/"),
            [.. _weights.Select(w => new LoadBalancerServer(w.Key, w.Value, Sorry ? "MAINT" : "UP"))], Sorry, Sorry ? "Back soon" : null));

    public Task SetWeightsAsync(string environment, IReadOnlyDictionary<string, int> weights, CancellationToken cancellationToken)
    {
        WeightChanges.Add(weights);
        foreach (var (server, weight) in weights)
        {
            _weights[server] = weight;
        }

        return Task.CompletedTask;
    }

    public Task SetSorryAsync(string environment, bool on, string? message, CancellationToken cancellationToken)
    {
        SorryChanges.Add((on, message));
        Sorry = on;
        return Task.CompletedTask;
    }

    public Task AddServerAsync(string environment, string server, Uri address, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveServerAsync(string environment, string server, CancellationToken cancellationToken) => Task.CompletedTask;
}
