using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Infrastructure.HaProxy;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Commands.Env;

/// <summary>
/// <c>balance</c> and <c>sorry</c>: checks the environment has a usable load balancer with servers,
/// previews current and new weights (or what the sorry page will do), and hands the run to the engine.
/// </summary>
public sealed class LoadBalancerCommand(string verb, ILoadBalancer loadBalancer, WorkflowEngine engine, IOptions<HaProxyOptions> haProxy) : IChatCommand
{
    private const int EvenWeight = 100;

    public string Name => verb;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!;
        if (!environment.HasLoadBalancer)
        {
            return Refuse($"*{environment.Name}* has no load balancer configured, so `{verb}` cannot act on it.");
        }

        var availability = await loadBalancer.CheckAvailabilityAsync(environment.Name, cancellationToken);
        if (!availability.Available)
        {
            return Refuse($"`{verb}` needs the load balancer in front of *{environment.Name}*: {availability.Reason}");
        }

        LoadBalancerStatus status;
        try
        {
            status = await loadBalancer.GetStatusAsync(environment.Name, cancellationToken);
        }
        catch (LoadBalancerException e)
        {
            return Refuse($"The load balancer of *{environment.Name}* did not answer: {e.Message}");
        }

        if (status.Servers.Count == 0)
        {
            return Refuse($"*{environment.Name}* has no servers behind its load balancer yet: bring it up first (`/env up {environment.Name}`).");
        }

        var arguments = new Dictionary<string, string>(context.Invocation.Values, StringComparer.OrdinalIgnoreCase);
        arguments.Remove("env");
        string preview;
        var destructive = true;
        if (verb == "balance")
        {
            var unknown = context.Invocation.Weights.Keys.Where(n => status.Servers.All(s => !s.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
            {
                return Refuse($"*{environment.Name}* has no server {string.Join(", ", unknown.Select(u => $"`{u}`"))}. Servers: {string.Join(", ", status.Servers.Select(s => $"`{s.Name}`"))}.");
            }

            var weights = context.Invocation.Weights.Count > 0
                ? context.Invocation.Weights.ToDictionary(w => w.Key.ToLowerInvariant(), w => w.Value)
                : status.Servers.ToDictionary(s => s.Name, _ => EvenWeight);
            arguments["weights"] = LoadBalancerWorkflow.FormatWeights(weights);
            preview = "Weights: " + string.Join(", ", status.Servers.Select(s =>
                weights.TryGetValue(s.Name, out var next) ? $"{s.Name} {s.Weight} → {next}" : $"{s.Name} {s.Weight} (unchanged)")) + ".";
        }
        else
        {
            var on = context.Invocation["state"] == "on";
            if (!on && !status.Sorry)
            {
                return Refuse($"The sorry page of *{environment.Name}* is not on.");
            }

            var servers = string.Join(", ", status.Servers.Select(s => s.Name));
            preview = on
                ? $"Will put {servers} in maintenance; {status.FrontUrl} will answer 503 with “{context.Invocation["message"] ?? haProxy.Value.SorryMessage}”."
                : $"Will bring {servers} back from maintenance; whenever no node is usable, {status.FrontUrl} will say “{haProxy.Value.SorryMessage}”.";
            destructive = on;
        }

        var request = new RunRequest(environment, verb, arguments, context.Principal, context.Destination, context.Permission.Risk, preview) { Destructive = destructive };
        return await engine.RequestAsync(request, cancellationToken) is RunRequestResult.Refused refused
            ? Refuse(RunWording.Describe(refused.Refusal))
            : CommandResult.Ok();
    }

    private static CommandResult Refuse(string reason) => CommandResult.Fail(CommandError.Refused, reason);
}
