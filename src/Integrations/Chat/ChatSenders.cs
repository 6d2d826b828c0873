namespace ChatOps.Integrations.Chat;

/// <summary>Finds the <see cref="IChatSender"/> for a destination's platform; two senders for one platform fail at start-up.</summary>
internal sealed class ChatSenders(IEnumerable<IChatSender> senders) : NamedRegistry<IChatSender>(senders, s => s.Platform, "chat sender")
{
    public IChatSender For(ChatDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Get(destination.Platform);
    }
}
