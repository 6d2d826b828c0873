namespace ChatOps.Bot.Workflows;

/// <summary>A run executing in this process: how to stop it, and why it was stopped.</summary>
internal sealed class ActiveRun(long runId, string environment, CancellationTokenSource cancellation)
{
    private readonly Lock _gate = new();
    private string? _stopReason;
    private int _outputChunks;
    private bool _finished;

    public long RunId { get; } = runId;

    public string Environment { get; } = environment;

    public Task Completion { get; set; } = Task.CompletedTask;

    public StopKind Stop { get; private set; }

    public string? StopReason => _stopReason;

    public CancellationToken Token => cancellation.Token;

    /// <summary>Numbers the batches of output posted in the run's thread, so each has its own outbox key.</summary>
    public int NextOutputChunk() => Interlocked.Increment(ref _outputChunks);

    /// <summary>The first reason wins: a timeout after a cancel stays a cancel. A run that already finished ignores it.</summary>
    public void RequestStop(StopKind kind, string reason)
    {
        // Under the gate: a shutdown or a cancel can race with the run finishing, and must not touch
        // the token source once the run has let go of it.
        lock (_gate)
        {
            if (!_finished && Interlocked.CompareExchange(ref _stopReason, reason, null) is null)
            {
                Stop = kind;
                cancellation.Cancel();
            }
        }
    }

    /// <summary>The run has left the engine: later stop requests do nothing.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _finished = true;
            cancellation.Dispose();
        }
    }
}

internal enum StopKind
{
    None,
    Cancelled,
    TimedOut,
    LeaseLost,
    Shutdown,
}
