using System.Threading.Channels;

namespace ChatOps.Integrations.WebChat;

/// <summary>
/// Fans out every posted or edited web chat message to live subscribers (the page's event stream),
/// with a heartbeat when a stream has been quiet for a while. What it fans out comes from the table
/// (<see cref="WebChatTail"/>), so a page sees the posts of every replica; this replica's own writes wake the
/// tail at once (<see cref="Changed"/>).
/// A slow subscriber loses its oldest notifications rather than holding up the bot; the page
/// reloads the channel when it reconnects, so nothing is lost for good.
/// </summary>
public sealed class WebChatFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<WebChatMessage>> _subscribers = [];

    // One wake-up at most waits: one read takes every change since. A semaphore full already would throw, at about one
    // post in three under load, and fill the exception counters an operator watches.
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>
    /// A message was posted or edited and committed, here or (heard through the store's notification) by another replica:
    /// the tail reads it now rather than at its next poll.
    /// </summary>
    internal void Changed() => _changed.Writer.TryWrite(true);

    /// <summary>Waits until <see cref="Changed"/> or <paramref name="poll"/> has passed (for other replicas' writes).</summary>
    internal Task WaitForChangeAsync(TimeSpan poll, TimeProvider time, CancellationToken cancellationToken) =>
        WithinAsync(token => _changed.Reader.ReadAsync(token).AsTask(), poll, time, cancellationToken);

    /// <summary>
    /// Every message posted or edited from now on. After <paramref name="keepAlive"/> without one it
    /// yields null, a heartbeat the caller sends on so proxies do not drop a quiet stream.
    /// </summary>
    public async IAsyncEnumerable<WebChatMessage?> SubscribeAsync(TimeSpan keepAlive, TimeProvider time, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var channel = Channel.CreateBounded<WebChatMessage>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        try
        {
            while (true)
            {
                var (ready, quiet) = await WaitAsync(channel.Reader, keepAlive, time, cancellationToken);
                if (quiet)
                {
                    yield return null;
                    continue;
                }

                if (!ready)
                {
                    yield break;
                }

                while (channel.Reader.TryRead(out var message))
                {
                    yield return message;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    private static Task<(bool Ready, bool Quiet)> WaitAsync(ChannelReader<WebChatMessage> reader, TimeSpan keepAlive, TimeProvider time, CancellationToken cancellationToken) =>
        WithinAsync(token => reader.WaitToReadAsync(token).AsTask(), keepAlive, time, cancellationToken);

    /// <summary>What <paramref name="wait"/> gave, or (default, true) when <paramref name="within"/> passed first.</summary>
    private static async Task<(T Result, bool TimedOut)> WithinAsync<T>(Func<CancellationToken, Task<T>> wait, TimeSpan within, TimeProvider time, CancellationToken cancellationToken)
    {
        using var due = new CancellationTokenSource(within, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, due.Token);
        try
        {
            return (await wait(linked.Token), false);
        }
        catch (OperationCanceledException) when (due.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (default!, true);
        }
    }

    internal void Publish(WebChatMessage message)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(message);
            }
        }
    }
}
