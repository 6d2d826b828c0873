using ChatOps.Integrations.Coordination;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// At start, computes every open alert's due moment and start again (<see cref="AlertStore.RefreshTimesAsync"/>) and
/// re-queues every alert's current state (a crash between writing state and queueing its message loses nothing; keys
/// make the rest no-ops); then checks expiries and escalations each tick.
/// </summary>
/// With several replicas, only the one holding the <see cref="Schedule"/> lease ticks. Escalation needs no fence: each
/// step is a compare-and-set on the alert's escalation step, so a stale holder cannot escalate a step twice.
internal sealed class AlertTicker(AlertService alerts, AlertStore store, IScheduleOwnership ownership, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertTicker> logger) : BackgroundService
{
    public const string Schedule = "alert-escalation";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Tick, time);
        var first = true;
        do
        {
            try
            {
                if (!await ownership.HoldsAsync(Schedule, stoppingToken))
                {
                    continue;
                }

                if (first)
                {
                    await store.InitializeAsync(stoppingToken);
                    await store.RefreshTimesAsync(stoppingToken);
                    await alerts.RepublishAsync(stoppingToken);
                    first = false;
                }

                await alerts.TickAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.TickFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
