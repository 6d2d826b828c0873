using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Slack;

namespace ChatOps.Bot.Inbound.Slack;

/// <summary>
/// Socket Mode deliveries take the same path as HTTP ones: into the durable <see cref="InboundQueue"/>.
/// The envelope is acknowledged once this returns, so Slack will not redeliver a dropped one: when the inbox
/// is full the sender is told to try again instead of hearing nothing.
/// </summary>
public sealed class SlackQueueSink(InboundQueue queue, SlackDisplayNames names, ChatReplies replies, ILogger<SlackQueueSink> logger) : ISlackInboundSink
{
    internal const string BusyReply = "I'm too busy to take that right now; please ask again in a moment.";

    public async Task HandleRequestAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = await names.WithDisplayNameAsync(request, cancellationToken);
        if (await queue.TryEnqueueAsync(request, cancellationToken) == InboxAdmission.Full)
        {
            await TellBusyAsync(request.Destination, request.DeliveryId, request.ThreadOf, cancellationToken);
        }
    }

    public async Task HandleActionAsync(ChatAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (await queue.TryEnqueueAsync(action, cancellationToken) == InboxAdmission.Full)
        {
            await TellBusyAsync(action.Destination, action.DeliveryId, action.MessageId, cancellationToken);
        }
    }

    private async Task TellBusyAsync(ChatDestination destination, string deliveryId, string? threadOf, CancellationToken cancellationToken)
    {
        Log.SocketQueueFull(logger, deliveryId);
        await replies.ReplyAsync(ChatReplies.BusyKey(deliveryId), destination, OutgoingMessage.Plain(BusyReply), threadOf, cancellationToken);
    }
}
