namespace ChatOps.Integrations.Chat;

/// <summary>Finds the <see cref="IChatSender"/> for a destination's platform.</summary>
public sealed class ChatSenders
{
    private readonly Dictionary<string, IChatSender> _byPlatform;

    public ChatSenders(IEnumerable<IChatSender> senders)
    {
        _byPlatform = new(StringComparer.OrdinalIgnoreCase);
        foreach (var sender in senders)
        {
            if (!_byPlatform.TryAdd(sender.Platform, sender))
            {
                throw new InvalidOperationException($"Two chat senders are registered for platform '{sender.Platform}'.");
            }
        }
    }

    public IChatSender For(ChatDestination destination) =>
        _byPlatform.TryGetValue(destination.Platform, out var sender)
            ? sender
            : throw new InvalidOperationException($"No chat sender is registered for platform '{destination.Platform}'.");
}
