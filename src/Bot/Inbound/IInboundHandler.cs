using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Inbound;

/// <summary>Runs one inbound request or button press to its end; the <see cref="ChatDispatcher"/> in the host.</summary>
public interface IInboundHandler
{
    Task HandleAsync(ChatRequest request, CancellationToken cancellationToken);

    Task HandleAsync(ChatAction action, CancellationToken cancellationToken);
}
