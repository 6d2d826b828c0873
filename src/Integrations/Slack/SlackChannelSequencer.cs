namespace ChatOps.Integrations.Slack;

/// <summary>
/// Runs work for one channel strictly in the order it was asked for, one at a time: a message
/// waiting out a 429 holds back the messages and edits behind it, so a channel never shows them
/// out of order. Different channels do not wait for each other.
/// </summary>
public sealed class SlackChannelSequencer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);

    public async Task<T> RunAsync<T>(string channel, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        // Taken before the first await, so the call order is the queue order.
        lock (_lock)
        {
            previous = _tails.GetValueOrDefault(channel) ?? Task.CompletedTask;
            _tails[channel] = done.Task;
        }

        try
        {
            await previous.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Whoever queued behind us must still wait for the work ahead of us.
            _ = previous.ContinueWith(_ => Release(channel, done), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        try
        {
            return await work(cancellationToken);
        }
        finally
        {
            Release(channel, done);
        }
    }

    private void Release(string channel, TaskCompletionSource done)
    {
        lock (_lock)
        {
            if (_tails.TryGetValue(channel, out var tail) && tail == done.Task)
            {
                _tails.Remove(channel);
            }
        }

        done.TrySetResult();
    }
}
