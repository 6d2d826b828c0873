using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>Environments here have no load balancer; anything reaching it is a bug.</summary>
internal sealed class NoLoadBalancer : ILoadBalancer
{
    public Task<LoadBalancerAvailability> CheckAvailabilityAsync(string environment, CancellationToken cancellationToken) => throw new InvalidOperationException();

    public Task<LoadBalancerStatus> GetStatusAsync(string environment, CancellationToken cancellationToken) => throw new InvalidOperationException();

    public Task SetWeightsAsync(string environment, IReadOnlyDictionary<string, int> weights, CancellationToken cancellationToken) => throw new InvalidOperationException();

    public Task SetSorryAsync(string environment, bool on, string? message, CancellationToken cancellationToken) => throw new InvalidOperationException();

    public Task AddServerAsync(string environment, string server, Uri address, CancellationToken cancellationToken) => throw new InvalidOperationException();

    public Task RemoveServerAsync(string environment, string server, CancellationToken cancellationToken) => throw new InvalidOperationException();
}
