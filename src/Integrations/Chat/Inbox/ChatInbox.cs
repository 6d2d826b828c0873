using System.Data.Common;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// The inbox as adapters see it: the <see cref="InboxStore"/> keeps each delivery, bounded by
/// <see cref="InboxOptions.Capacity"/> (when full, the platform should hear "busy" and retry), and the inbox's
/// <see cref="QueueWorker{TLane, TWork}"/> is woken to hand it on. A request the host can answer at once
/// (<see cref="IQueryAnswers"/>) is kept as done with its answer instead, when nothing of its sender's must come first.
/// </summary>
public sealed class ChatInbox(
    InboxStore store,
    StateDatabase database,
    QueueSignal<InboxItem> signal,
    IChatOutbox outbox,
    IOptions<InboxOptions> options,
    TimeProvider time,
    IQueryAnswers? queries = null) : IChatInbox
{
    /// <summary>What a sender hears when the inbox refused their delivery and their platform cannot say so itself.</summary>
    public const string BusyText = "I'm too busy to take that right now; please ask again in a moment.";

    /// <summary>The outbox key of the "too busy" answer to delivery <paramref name="deliveryId"/>: one answer however often it is refused.</summary>
    public static string BusyKey(string deliveryId) => $"busy:{deliveryId}";

    /// <summary>The outbox key of the answer to delivery <paramref name="deliveryId"/>: one answer however often it is handled.</summary>
    public static string AnswerKey(string deliveryId) => $"reply:{deliveryId}";

    /// <summary>
    /// The answer to a request that only reads (<see cref="IQueryAnswers"/>), to keep with it through
    /// <see cref="KeepAnsweredAsync"/>; null when it must take the queue, and always while the inbox is paused.
    /// </summary>
    public async Task<QueryAnswer?> AnswerQueryAsync(ChatDestination destination, ChatUser user, string text, CancellationToken cancellationToken)
    {
        if (queries is null || options.Value.Paused)
        {
            return null;
        }

        var since = time.GetUtcNow();
        return await queries.AnswerAsync(destination, user, text, cancellationToken) is { } answer ? new QueryAnswer(answer, since) : null;
    }

    /// <summary>
    /// Keeps <paramref name="request"/> as done in the caller's transaction, with <paramref name="answer"/> queued under
    /// <see cref="AnswerKey"/>, when it is new, answered in its channel (not in a thread or a message opened for it), and
    /// nothing of its sender's in that channel waits or runs, or finished while the answer was computed. Returns what to
    /// call once that transaction committed, or null when nothing was written: keep it with
    /// <see cref="ReceiveAsync(ChatRequest, QueryAnswer, DbConnection, DbTransaction, CancellationToken)"/> then, and the queue answers it.
    /// </summary>
    public async Task<Action?> KeepAnsweredAsync(ChatRequest request, QueryAnswer answer, DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(answer);
        if (request.ThreadOf is not null || request.AnswerSlot is not null
            || !await store.KeepAnsweredAsync(request, answer.Since, connection, transaction, cancellationToken))
        {
            return null;
        }

        return await outbox.EnqueuePostInAsync(AnswerKey(request.DeliveryId), request.Destination, answer.Message, connection, transaction, cancellationToken);
    }

    public async Task<InboxAdmission> ReceiveAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = request.ThreadOf is null && request.AnswerSlot is null
            ? await AnswerQueryAsync(request.Destination, request.User, request.Text, cancellationToken)
            : null;
        var (admission, committed) = await database.WriteGroupedAsync((c, t) => ReceiveAsync(request, answer, c, t, cancellationToken), cancellationToken);
        committed();
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
    /// chat's copy of the message): done with <paramref name="answer"/> when <see cref="KeepAnsweredAsync"/> can, else
    /// queued. Returns what to call once that transaction is committed: what shows the answer, or the inbox's worker,
    /// which would not see the request before.
    /// </summary>
    public async Task<(InboxAdmission Admission, Action Committed)> ReceiveAsync(ChatRequest request, QueryAnswer? answer, DbConnection connection,
        DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (answer is not null && await KeepAnsweredAsync(request, answer, connection, transaction, cancellationToken) is { } answered)
        {
            return (InboxAdmission.Accepted, answered);
        }

        return (await store.ReceiveAsync(request, options.Value.Capacity, connection, transaction, cancellationToken), Wake);
    }

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
