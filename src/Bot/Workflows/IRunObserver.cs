namespace ChatOps.Bot.Workflows;

/// <summary>Hears about every run that finished (the deployment feed is one). Must not throw for the run's sake.</summary>
internal interface IRunObserver
{
    Task RunFinishedAsync(RunRecord run, CancellationToken cancellationToken);
}
