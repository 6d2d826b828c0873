using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Storage.Notifications;

/// <summary>
/// Degraded while a store that sends notifications is not being listened to: other replicas' work still gets done, but
/// only at the next poll. Healthy when listening, and on an engine that sends none (it was never listened to).
/// </summary>
internal sealed class StoreListenerHealthCheck(StateDatabase database, StoreNotifications notifications, IOptions<StorageOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!database.CanNotify
            ? HealthCheckResult.Healthy($"The {database.Provider} store sends no notifications; other replicas' changes are polled for.")
            : notifications.Live
                ? HealthCheckResult.Healthy($"Listening for other replicas' changes; polling every {options.Value.NotifiedPollInterval} besides.")
                : HealthCheckResult.Degraded("Not listening for other replicas' changes (reconnecting): they are seen at each part's poll only."));
}
