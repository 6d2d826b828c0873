namespace ChatOps.Bot.Inbound;

/// <summary>
/// Ends an event stream when the bot stops. Kestrel's graceful shutdown waits for open requests and only
/// aborts them at the host's shutdown timeout (30 s), so a stream that listened to the request alone kept
/// every stop of a bot with an open web chat waiting that long. The stream ends cleanly instead; the
/// page's EventSource reconnects to the next start.
/// </summary>
internal static class WebChatStreamEnd
{
    public static async IAsyncEnumerable<T> UntilStopping<T>(
        Func<CancellationToken, IAsyncEnumerable<T>> subscribe,
        CancellationToken stopping,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken requestAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, requestAborted);
        await using var messages = subscribe(linked.Token).GetAsyncEnumerator(linked.Token);
        while (true)
        {
            try
            {
                if (!await messages.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !requestAborted.IsCancellationRequested)
            {
                yield break;
            }

            yield return messages.Current;
        }
    }
}
