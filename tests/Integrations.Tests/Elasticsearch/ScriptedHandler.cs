namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>Answers each attempt from a script that may wait, throw, or honour cancellation, counting the attempts.</summary>
internal sealed class ScriptedHandler(Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private int _attempts;
    private readonly TaskCompletionSource _firstArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Completes when the first request reaches the handler; wait on it through <c>Wait.ForAsync</c>, which bounds it.</summary>
    public Task FirstArrived => _firstArrived.Task;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        _firstArrived.TrySetResult();
        return respond(attempt, request, cancellationToken);
    }

    /// <summary>Waits until cancelled, like a server that never answers.</summary>
    public static async Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
