using System.Diagnostics.Metrics;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// The <c>ChatOps.Runs</c> meter: runs finished, by kind and how they ended. It hears of a run as the other
/// observers do, once, so a run a crash left unannounced is counted by the process that announces it.
/// </summary>
internal sealed class RunMeter : IRunObserver
{
    public const string MeterName = "ChatOps.Runs";

    private readonly Counter<long> _finished;

    public RunMeter(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _finished = meterFactory.Create(MeterName).CreateCounter<long>("chatops_runs_finished", description: "Runs finished, by kind and how they ended.");
    }

    public Task RunFinishedAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        _finished.Add(1, new KeyValuePair<string, object?>("kind", run.Verb), new KeyValuePair<string, object?>("outcome", run.Status.ToWire()));
        return Task.CompletedTask;
    }
}
