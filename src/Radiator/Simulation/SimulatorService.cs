using ChatOps.Radiator.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Simulation;

/// <summary>Writes the simulated show, one batch per tick, through the same writer as <c>POST /api/events</c>.</summary>
internal sealed class SimulatorService(IEventWriter writer, IOptions<SimulatorOptions> options, TimeProvider timeProvider, ILogger<SimulatorService> logger) : BackgroundService
{
    private readonly TaskCompletionSource _timerStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Task TimerStarted => _timerStarted.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var simulator = new TvShowSimulator(options.Value);
        var last = timeProvider.GetUtcNow();
        Log.SimulatorStarted(logger, options.Value.Seed);
        using var timer = new PeriodicTimer(options.Value.Tick, timeProvider);
        _timerStarted.TrySetResult();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = timeProvider.GetUtcNow();
            try
            {
                var events = simulator.Generate(last, now);
                await writer.WriteAsync(events, stoppingToken);
                last = now;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The period is kept and retried at the next tick, so a busy database loses no simulated events.
                Log.SimulatorWriteFailed(logger, ex);
            }
        }
    }
}
