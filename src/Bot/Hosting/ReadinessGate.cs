namespace ChatOps.Bot.Hosting;

/// <summary>
/// Opens once start-up recovery is done: until then <c>/healthz</c> says 503 and inbound commands wait,
/// so nothing acts on an environment whose crashed run has not been reconciled yet.
/// </summary>
internal sealed class ReadinessGate
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    public void Open() => _ready.TrySetResult();
}
