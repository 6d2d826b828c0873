using ChatOps.Integrations.Coordination;
using ChatOps.Radiator.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Simulation;

/// <summary>
/// Writes the simulated show, one batch per tick, through the same writer as <c>POST /api/events</c>. With several
/// replicas one of them (the holder of the <see cref="Schedule"/> lease) simulates, so the show is not counted twice.
/// </summary>
internal sealed class SimulatorService(IEventWriter writer, IScheduleOwnership ownership, IOptions<SimulatorOptions> options, TimeProvider timeProvider, ILogger<SimulatorService> logger) : BackgroundService
{
    public const string Schedule = "simulator";

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
                if (!await ownership.HoldsAsync(Schedule, stoppingToken))
                {
                    // Another replica simulates this period; taking over later starts from then, not from here.
                    last = now;
                    continue;
                }

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
