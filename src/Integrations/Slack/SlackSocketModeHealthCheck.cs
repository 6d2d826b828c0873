using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Reports the Socket Mode connection: healthy while connected, degraded during a first connect
/// or a planned reconnect, unhealthy once connecting has failed (a dead connection shows in /healthz).
/// </summary>
internal sealed class SlackSocketModeHealthCheck(SlackSocketModeState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (connected, since, lastError, failures) = state.Snapshot();
        var data = new Dictionary<string, object>
        {
            ["connected"] = connected,
            ["since"] = since?.ToString("O") ?? "never",
            ["consecutiveFailures"] = failures,
        };
        var result = connected
            ? HealthCheckResult.Healthy("Socket Mode connected.", data)
            : failures == 0
                ? HealthCheckResult.Degraded($"Socket Mode connecting{(lastError is null ? "" : $" after: {lastError}")}.", data: data)
                : HealthCheckResult.Unhealthy($"Socket Mode disconnected: {lastError}.", data: data);
        return Task.FromResult(result);
    }
}
