using ChatOps.Bot.Environments;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Commands.Env;

/// <summary>What <c>balance</c> and <c>sorry</c> check first: the environment has a usable load balancer with servers behind it.</summary>
internal static class LoadBalancerCheck
{
    /// <summary>The load balancer's status, or why <paramref name="verb"/> cannot act on it.</summary>
    public static async Task<(LoadBalancerStatus? Status, string? Refusal)> StatusAsync(
        ILoadBalancer loadBalancer, EnvironmentDefinition environment, VerbDefinition verb, CancellationToken cancellationToken)
    {
        if (!environment.HasLoadBalancer)
        {
            return (null, $"*{environment.Name}* has no load balancer configured, so `{verb.Name}` cannot act on it.");
        }

        var availability = await loadBalancer.CheckAvailabilityAsync(environment.Name, cancellationToken);
        if (!availability.Available)
        {
            return (null, $"`{verb.Name}` needs the load balancer in front of *{environment.Name}*: {availability.Reason}");
        }

        LoadBalancerStatus status;
        try
        {
            status = await loadBalancer.GetStatusAsync(environment.Name, cancellationToken);
        }
        catch (LoadBalancerException e)
        {
            return (null, $"The load balancer of *{environment.Name}* did not answer: {e.Message}");
        }

        return status.Servers.Count == 0
            ? (null, $"*{environment.Name}* has no servers behind its load balancer yet: bring it up first (`/{UpCommand.Definition.Key} {environment.Name}`).")
            : (status, null);
    }
}
