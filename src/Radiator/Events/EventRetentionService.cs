using ChatOps.Integrations.Coordination;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Events;

/// <summary>Deletes expired raw events and roll-ups on a timer, so the store's size follows its retention.</summary>
/// With several replicas, one (the holder of the <see cref="Schedule"/> lease) does it; deleting is idempotent, so a stale holder needs no fence.
internal sealed class EventRetentionService(EmbeddedEventStore store, IScheduleOwnership ownership, IOptions<RadiatorOptions> options, TimeProvider timeProvider, ILogger<EventRetentionService> logger) : BackgroundService
{
    public const string Schedule = "event-retention";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionInterval, timeProvider);
        do
        {
            try
            {
                if (await ownership.HoldsAsync(Schedule, stoppingToken))
                {
                    await store.ApplyRetentionAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.RetentionFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
