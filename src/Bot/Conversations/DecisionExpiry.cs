using ChatOps.Bot.Audit;
using ChatOps.Bot.Hosting;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Conversations;

/// <summary>Expires unanswered confirmations and approvals: closes their runs, edits their messages, audits it.</summary>
public sealed class DecisionExpiry(
    DecisionStore decisions,
    RunStore runs,
    AuditTrail audit,
    RunMessages messages,
    ReadinessGate readiness,
    TimeProvider time,
    ILogger<DecisionExpiry> logger) : BackgroundService
{
    /// <summary>How often to look; expiry is at most this late.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ExpireDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ExpiryFailed(logger, e);
            }
        }
    }

    public async Task ExpireDueAsync(CancellationToken cancellationToken)
    {
        foreach (var decision in await decisions.ExpireDueAsync(cancellationToken))
        {
            await runs.CloseAwaitingAsync(decision.RunId, RunStatus.Expired, "nobody answered in time", cancellationToken);
            await audit.AppendAsync(new AuditEntry("system", "system", "expired", decision.Environment, decision.RunId,
                $"{decision.Kind.ToString().ToLowerInvariant()} of {decision.Verb} requested by {decision.RequesterName}"), cancellationToken);
            var expired = decision with { Status = DecisionStatus.Expired };
            await messages.ShowAsync(decision.RunId, decision.Destination, DecisionFormatter.Render(expired, time.GetUtcNow()), cancellationToken);
        }
    }
}
