namespace ChatOps.Bot.Workflows;

/// <summary>
/// Tells every <see cref="IRunObserver"/> that a run finished, and records that they were told, so a
/// run that finished just before a crash is told after the restart instead of never. An observer that
/// fails leaves the run untold; the next start tries again. Observers are idempotent by run (the
/// deployment feed keys its post and its event by run id), so telling one twice is harmless.
/// </summary>
internal sealed class RunObservers(IEnumerable<IRunObserver> observers, RunStore runs, TimeProvider time, ILogger<RunObservers> logger)
{
    /// <summary>
    /// Runs that ended longer ago than this are history when the bot starts: announcing them then would
    /// be noise, not news.
    /// </summary>
    private static readonly TimeSpan CatchUpWindow = TimeSpan.FromHours(1);

    public async Task NotifyAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var told = true;
        foreach (var observer in observers)
        {
            try
            {
                await observer.RunFinishedAsync(run, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // An announcement failing must not undo or hide the run's own result.
                Log.ObserverFailed(logger, run.Id, e);
                told = false;
            }
        }

        if (told)
        {
            await runs.MarkObservedAsync(run.Id, cancellationToken);
        }
    }

    /// <summary>At start-up: tells the observers about recent runs that finished without them hearing of it.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        foreach (var run in await runs.ListUnobservedAsync(time.GetUtcNow() - CatchUpWindow, cancellationToken))
        {
            Log.ObserversCaughtUp(logger, run.Id, run.Status.ToWire());
            await NotifyAsync(run, cancellationToken);
        }
    }
}
