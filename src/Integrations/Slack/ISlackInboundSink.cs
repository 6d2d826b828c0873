using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Where Socket Mode hands verified, translated deliveries; the host implements it with the same
/// dispatch its HTTP endpoints use. Called after the envelope was acknowledged, so it may take its time.
/// </summary>
public interface ISlackInboundSink
{
    Task HandleRequestAsync(ChatRequest request, CancellationToken cancellationToken);

    Task HandleActionAsync(ChatAction action, CancellationToken cancellationToken);
}
