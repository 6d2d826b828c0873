namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// What the inbox hands each kept delivery to, once: the host's dispatcher, which runs the command or
/// button press to its end and answers through the outbox.
/// </summary>
public interface IInboxHandler
{
    Task HandleAsync(ChatRequest request, CancellationToken cancellationToken);

    Task HandleAsync(ChatAction action, CancellationToken cancellationToken);
}
