using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Events;

/// <summary>Deletes expired raw events and roll-ups on a timer, so the store's size follows its retention.</summary>
internal sealed class EventRetentionService(EmbeddedEventStore store, IOptions<RadiatorOptions> options, TimeProvider timeProvider, ILogger<EventRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionInterval, timeProvider);
        do
        {
            try
            {
                await store.ApplyRetentionAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.RetentionFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
