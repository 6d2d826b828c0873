using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Integrations.Storage;

/// <summary>Unhealthy while the state store's last write failed for want of disk, healthy again once a write succeeds.</summary>
internal sealed class StateStoreHealthCheck(StateDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.LastWriteFault is { } fault
            ? HealthCheckResult.Unhealthy($"Writes fail: {fault.Reason} ({database.DataSource}).")
            : HealthCheckResult.Healthy("Writes succeed."));
}
