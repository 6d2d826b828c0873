namespace ChatOps.Integrations.Chat.Delivery;

/// <summary>Wakes the dispatcher when something is enqueued, so a new message does not wait for the idle poll.</summary>
internal sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>Starts listening; signals that arrive after this call complete the returned task.</summary>
    public Task Arm()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _next, fresh);
        return fresh.Task;
    }
}
