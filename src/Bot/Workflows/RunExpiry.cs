using ChatOps.Bot.Hosting;

namespace ChatOps.Bot.Workflows;

/// <summary>Every <see cref="Interval"/>, ends the runs whose confirmation or approval nobody answered in time.</summary>
internal sealed class RunExpiry(WorkflowEngine engine, ReadinessGate readiness, TimeProvider time, ILogger<RunExpiry> logger) : BackgroundService
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
                await engine.ExpireDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ExpiryFailed(logger, e);
            }
        }
    }
}
