using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Where Socket Mode hands verified, translated deliveries; the host implements it with the same
/// dispatch its HTTP endpoints use. The envelope is acknowledged when the returned task ends (or after
/// <see cref="SlackOptions.SocketAckDeadline"/>): keep the delivery durably, then return, and run the
/// command later.
/// </summary>
public interface ISlackInboundSink
{
    Task HandleRequestAsync(ChatRequest request, CancellationToken cancellationToken);

    Task HandleActionAsync(ChatAction action, CancellationToken cancellationToken);
}
