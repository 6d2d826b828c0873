using System.Data.Common;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// The inbox as adapters see it: the <see cref="InboxStore"/> keeps each delivery, bounded by
/// <see cref="InboxOptions.Capacity"/> (when full, the platform should hear "busy" and retry), and the inbox's
/// <see cref="QueueWorker{TLane, TWork}"/> is woken to hand it on.
/// </summary>
public sealed class ChatInbox(InboxStore store, QueueSignal<InboxItem> signal, IChatOutbox outbox, IOptions<InboxOptions> options) : IChatInbox
{
    /// <summary>What a sender hears when the inbox refused their delivery and their platform cannot say so itself.</summary>
    public const string BusyText = "I'm too busy to take that right now; please ask again in a moment.";

    /// <summary>The outbox key of the "too busy" answer to delivery <paramref name="deliveryId"/>: one answer however often it is refused.</summary>
    public static string BusyKey(string deliveryId) => $"busy:{deliveryId}";

    public async Task<InboxAdmission> ReceiveAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var admission = await store.ReceiveAsync(request, options.Value.Capacity, cancellationToken);
        Wake();
        return admission;
    }

    public async Task<InboxAdmission> ReceiveAsync(ChatAction action, CancellationToken cancellationToken)
    {
        var admission = await store.ReceiveAsync(action, options.Value.Capacity, cancellationToken);
        Wake();
        return admission;
    }

    /// <summary>
    /// Keeps <paramref name="request"/> in the caller's transaction, with what the caller writes beside it (the web
    /// chat's copy of the message); call <see cref="Wake"/> once that transaction is committed (the worker would not see it before).
    /// </summary>
    public Task<InboxAdmission> ReceiveAsync(ChatRequest request, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        store.ReceiveAsync(request, options.Value.Capacity, connection, transaction, cancellationToken);

    /// <summary>Tells the inbox's worker to look again.</summary>
    public void Wake() => signal.Notify();

    public Task TellBusyAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TellBusyAsync(request.Destination, request.DeliveryId, request.ThreadOf, cancellationToken);
    }

    public Task TellBusyAsync(ChatAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        return TellBusyAsync(action.Destination, action.DeliveryId, action.MessageId, cancellationToken);
    }

    private async Task TellBusyAsync(ChatDestination destination, string deliveryId, string? threadOf, CancellationToken cancellationToken)
    {
        // Under the same parent record as the host's replies, so the parent is recorded once.
        var threadKey = string.IsNullOrEmpty(threadOf) ? null : await outbox.AdoptThreadParentAsync(destination, threadOf, cancellationToken);
        await outbox.EnqueuePostAsync(BusyKey(deliveryId), destination, OutgoingMessage.Plain(BusyText), threadKey, cancellationToken: cancellationToken);
    }
}
