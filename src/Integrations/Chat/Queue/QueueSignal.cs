namespace ChatOps.Integrations.Chat.Queue;

/// <summary>
/// Wakes a <see cref="QueueWorker{TLane, TWork}"/> when something is written for it, so new work does not wait for
/// the idle poll. The type argument only tells one queue's signal from another's.
/// </summary>
public sealed class QueueSignal<TWork>
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _generation;

    /// <summary>How many signals have been given: a reader that saw one value knows whether anything was written since.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Notify()
    {
        Interlocked.Increment(ref _generation);
        Volatile.Read(ref _next).TrySetResult();
    }

    /// <summary>Starts listening; signals that arrive after this call complete the returned task.</summary>
    public Task Arm()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _next, fresh);
        return fresh.Task;
    }
}
