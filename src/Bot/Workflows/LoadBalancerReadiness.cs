using ChatOps.Integrations.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// "Up" means traffic flows: after a run enables servers, it waits until the load balancer itself
/// reports them UP, so the run says done only when the front sends requests to every one of them.
/// </summary>
internal sealed class LoadBalancerReadiness(ILoadBalancer loadBalancer, IOptions<WorkflowOptions> options, TimeProvider time)
{
    private const string Up = "UP";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Returns once every named server is UP; throws <see cref="ProviderException"/> saying which are not after the timeout.</summary>
    public async Task WaitUntilUpAsync(string environment, IReadOnlyCollection<string> servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0)
        {
            return;
        }

        var timeout = options.Value.LoadBalancerReadyTimeout;
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var status = await loadBalancer.GetStatusAsync(environment, cancellationToken);
            var waiting = servers
                .Select(name => (Name: name, State: status.Servers.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.State ?? "missing"))
                .Where(s => s.State != Up)
                .ToList();
            if (waiting.Count == 0)
            {
                return;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new ProviderException(
                    $"The load balancer did not report {string.Join(", ", waiting.Select(s => $"{s.Name} ({s.State})"))} UP within {RunWording.Duration(timeout)}, so traffic does not reach {(waiting.Count == 1 ? "it" : "them")}.");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
