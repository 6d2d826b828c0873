using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Bot.Hosting;

/// <summary><c>/healthz</c> says unhealthy until recovery after start-up has opened the gate.</summary>
internal sealed class ReadinessHealthCheck(ReadinessGate readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady ? HealthCheckResult.Healthy("ready") : HealthCheckResult.Unhealthy("recovering runs after start-up"));
}
