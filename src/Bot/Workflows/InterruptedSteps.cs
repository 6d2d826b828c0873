using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// The steps of a run a restart cut short, rewritten from what recovery found, so the message does not
/// say "adopted web1 (healthy)" above "⬜ Start web1". A step naming a node shows that node's state: done
/// when the node is as the step meant to leave it, not done otherwise. Any other unfinished step did
/// not run to its end. Pure.
/// </summary>
internal static class InterruptedSteps
{
    public static IReadOnlyList<RunStep> Reconcile(IReadOnlyList<RunStep> steps, EnvironmentObservation? found, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return [.. steps.Select(step => step.State is StepState.Pending or StepState.Running ? Reconcile(step, found, now) : step)];
    }

    private static RunStep Reconcile(RunStep step, EnvironmentObservation? found, DateTimeOffset now)
    {
        var node = found?.Nodes.FirstOrDefault(n => Words(step.Name).Contains(n.Name, StringComparer.OrdinalIgnoreCase));
        var wanted = Wanted(step.Name);
        if (node is not null && wanted is not null)
        {
            var seen = $"after the restart {node.Name} was found {Describe(node)}";
            var done = wanted == NodeHealth.Healthy ? node.Health == NodeHealth.Healthy : node.Health is NodeHealth.Stopped;
            return step with { State = done ? StepState.Succeeded : StepState.Failed, Detail = seen, EndedAt = now };
        }

        return step.State == StepState.Running
            ? step with { State = StepState.Failed, Detail = "cut short by the restart", EndedAt = now }
            : step with { State = StepState.Skipped, Detail = "not run: the bot restarted" };
    }

    /// <summary>What the step meant to leave its node as, from its verb; null for steps that do not change a node.</summary>
    private static NodeHealth? Wanted(string name) => Words(name).FirstOrDefault()?.ToLowerInvariant() switch
    {
        "start" or "deploy" or "restart" => NodeHealth.Healthy,
        "stop" => NodeHealth.Stopped,
        _ => null,
    };

    private static string Describe(NodeObservation node) => node.Health switch
    {
        NodeHealth.Healthy => $"running and healthy{(node.Version is null ? "" : $", version {node.Version}")}",
        NodeHealth.Unhealthy => "running but not healthy",
        NodeHealth.Stopped => "stopped",
        _ => "in an unknown state",
    };

    private static string[] Words(string text) => text.Split([' ', ',', ':', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
}
