using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>
/// Reports the Gateway connection: healthy while a session receives events, degraded during a first connect or a
/// planned reconnect, unhealthy once connecting has failed, and unhealthy with what to change when Discord refused
/// the bot for good (a bad token, a privileged intent not switched on).
/// </summary>
internal sealed class DiscordGatewayHealthCheck(DiscordGatewayState state, GatewaySession session) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = state.Snapshot();
        var data = new Dictionary<string, object>
        {
            ["connected"] = status.Connected,
            ["since"] = status.Since?.ToString("O") ?? "never",
            ["consecutiveFailures"] = status.ConsecutiveFailures,
            ["lastSequence"] = session.Sequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
        };
        var result = status switch
        {
            { StoppedBecause: { } advice } => HealthCheckResult.Unhealthy($"Discord Gateway stopped: {advice}", data: data),
            { Connected: true } => HealthCheckResult.Healthy("Discord Gateway connected.", data),
            { ConsecutiveFailures: 0 } => HealthCheckResult.Degraded(
                $"Discord Gateway connecting{(status.LastError is null ? "" : $" after: {status.LastError}")}.", data: data),
            _ => HealthCheckResult.Unhealthy($"Discord Gateway disconnected: {status.LastError}.", data: data),
        };
        return Task.FromResult(result);
    }
}
