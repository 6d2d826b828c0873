using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>
/// Degraded while Microsoft Graph refuses (403) to list the messages of a Teams conversation the bot posts in: there a
/// post whose answer is lost is posted again and may show twice, until the app's resource-specific consent is
/// granted. Conversations Graph has no address for (a personal chat) are listed in the data but do not degrade: that
/// is how Teams is, not a setting to fix.
/// </summary>
internal sealed class TeamsGraphHealthCheck(TeamsGraphLookupState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unavailable = state.Snapshot();
        var data = unavailable.ToDictionary(u => u.Conversation, u => (object)$"{(u.Refused ? "refused" : "no address")} since {u.Since:O}: {u.Reason}", StringComparer.Ordinal);
        var refused = unavailable.Count(u => u.Refused);
        var result = refused == 0
            ? HealthCheckResult.Healthy(
                unavailable.Count == 0
                    ? "Microsoft Graph can be asked where a Teams post's answer was lost."
                    : $"Microsoft Graph has no address for {unavailable.Count} Teams conversation(s); a post there whose answer is lost may show twice.",
                data)
            : HealthCheckResult.Degraded(
                $"Microsoft Graph refused to list messages in {refused} Teams conversation(s) (resource-specific consent not granted); a post there whose answer is lost is posted again and may show twice. See docs/teams.md.",
                data: data);
        return Task.FromResult(result);
    }
}
