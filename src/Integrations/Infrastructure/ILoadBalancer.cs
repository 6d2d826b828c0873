namespace ChatOps.Integrations.Infrastructure;

/// <summary>
/// A load balancer in front of an environment's nodes: weights, the sorry page and server states.
/// </summary>
public interface ILoadBalancer
{
    /// <summary>Whether this load balancer can act on the environment at all (for instance, HAProxy is installed).</summary>
    Task<LoadBalancerAvailability> CheckAvailabilityAsync(string environment, CancellationToken cancellationToken);

    Task<LoadBalancerStatus> GetStatusAsync(string environment, CancellationToken cancellationToken);

    /// <summary>Sets the weight of each named server; servers not named keep theirs.</summary>
    Task SetWeightsAsync(string environment, IReadOnlyDictionary<string, int> weights, CancellationToken cancellationToken);

    /// <summary>
    /// Turns the sorry page on (every server in maintenance, the message served) or off (servers back,
    /// and the page reset to the default message for whenever no node is usable).
    /// </summary>
    Task SetSorryAsync(string environment, bool on, string? message, CancellationToken cancellationToken);

    /// <summary>
    /// Adds or updates a server as a node comes up. The node answers its health check, so unless the
    /// sorry page is on the server takes traffic at once.
    /// </summary>
    Task AddServerAsync(string environment, string server, Uri address, CancellationToken cancellationToken);

    /// <summary>Removes a server as its node goes away.</summary>
    Task RemoveServerAsync(string environment, string server, CancellationToken cancellationToken);
}

/// <summary><see cref="Available"/> false carries the reason and what to do about it.</summary>
public sealed record LoadBalancerAvailability(bool Available, string? Reason = null);

public sealed record LoadBalancerStatus(Uri? FrontUrl, IReadOnlyList<LoadBalancerServer> Servers, bool Sorry, string? SorryMessage);

/// <summary>A server as the load balancer reports it; <see cref="State"/> is its own word (UP, DOWN, MAINT, DRAIN).</summary>
public sealed record LoadBalancerServer(string Name, int Weight, string State);

/// <summary>The load balancer could not be reached or refused a command.</summary>
public class LoadBalancerException(string message, Exception? inner = null) : Exception(message, inner);
