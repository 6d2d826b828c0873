namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// Where every platform adapter (Slack over HTTP or Socket Mode, the web chat) writes what it received, and all it
/// knows of the bot. A delivery is kept durably before the call returns, so answer the platform only after it; it is
/// handed to the host's <see cref="IInboxHandler"/> later, once, also after a restart. Delivery ids make receiving
/// idempotent: a platform's retry of a kept delivery changes nothing.
/// </summary>
public interface IChatInbox
{
    /// <summary>Keeps a command or message for the bot.</summary>
    Task<InboxAdmission> ReceiveAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>Keeps a button press.</summary>
    Task<InboxAdmission> ReceiveAsync(ChatAction action, CancellationToken cancellationToken);

    /// <summary>
    /// For a platform that cannot refuse a delivery (one acknowledged over a socket): tells the sender of
    /// <paramref name="request"/>, refused as <see cref="InboxAdmission.Full"/>, to ask again, through the outbox.
    /// </summary>
    Task TellBusyAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>As <see cref="TellBusyAsync(ChatRequest, CancellationToken)"/>, for a button press.</summary>
    Task TellBusyAsync(ChatAction action, CancellationToken cancellationToken);
}
