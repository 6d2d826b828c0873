using System.Threading.Channels;

namespace ChatOps.Integrations.WebChat;

/// <summary>
/// Fans out every posted or edited web chat message to live subscribers (the page's event stream).
/// A slow subscriber loses its oldest notifications rather than holding up the bot; the page
/// reloads the channel when it reconnects, so nothing is lost for good.
/// </summary>
public sealed class WebChatFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<WebChatMessage>> _subscribers = [];

    public async IAsyncEnumerable<WebChatMessage> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<WebChatMessage>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var message in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return message;
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
