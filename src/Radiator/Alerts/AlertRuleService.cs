using ChatOps.Integrations.Coordination;
using ChatOps.Radiator.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary>Runs every rule each <see cref="AlertOptions.RuleInterval"/>; a failing event source is reported once as degraded.</summary>
internal sealed class AlertRuleService(
    AlertRuleEvaluator evaluator,
    IEventSource events,
    AlertSourceHealth health,
    AlertStore store,
    IScheduleOwnership ownership,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertRuleService> logger) : BackgroundService
{
    /// <summary>The schedule's name among the replicas' leases; a rule's alert is keyed by its fingerprint, so a stale evaluation changes nothing twice.</summary>
    public const string Schedule = "alert-rules";

    public async Task EvaluateAllAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var failed = false;
        foreach (var rule in options.Value.Rules)
        {
            try
            {
                await evaluator.EvaluateAsync(rule, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.RuleFailed(logger, rule.Name, ex);
                if (!failed)
                {
                    await health.FailedAsync($"rules:{events.Name}", ex, cancellationToken);
                }

                failed = true;
            }
        }

        if (!failed)
        {
            await health.SucceededAsync($"rules:{events.Name}", null, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Rules.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RuleInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            bool holds;
            try
            {
                holds = await ownership.HoldsAsync(Schedule, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The store is unreachable: the next tick asks again.
                Log.RuleScheduleUnknown(logger, e);
                continue;
            }

            if (holds)
            {
                await EvaluateAllAsync(stoppingToken);
            }
        }
    }
}
