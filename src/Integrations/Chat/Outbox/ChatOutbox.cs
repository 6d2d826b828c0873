using System.Data.Common;
using ChatOps.Integrations.Chat.Queue;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// The outbox as callers see it: what is enqueued is written by the <see cref="OutboxStore"/> (the one owner of the
/// outbox tables) and wakes the outbox's <see cref="QueueWorker{TLane, TWork}"/>, which hands it to the <see cref="OutboxSender"/>.
/// A post to a platform that keeps its messages in the state store (<see cref="IChatLocalPoster"/>) and has no rate limit
/// is stored in the transaction that queues it instead, when nothing of its destination waits before it; without
/// <paramref name="localPosters"/> and the <paramref name="delivery"/> settings that say which are unpaced, everything is queued.
/// </summary>
internal sealed class ChatOutbox(OutboxStore store, QueueSignal<OutboxWork> signal, IEnumerable<IChatLocalPoster>? localPosters = null, ChatDeliveryOptions? delivery = null)
    : IChatOutbox
{
    // Only platforms without a rate limit: a paced one's posts must wait their turn (and may be digested).
    private readonly Dictionary<string, IChatLocalPoster> _local = (delivery is null ? [] : localPosters ?? [])
        .Where(p => delivery!.LimitFor(p.Platform).TokenInterval == TimeSpan.Zero)
        .ToDictionary(p => p.Platform, StringComparer.OrdinalIgnoreCase);

    public async Task<bool> EnqueuePostAsync(string key, ChatDestination destination, OutgoingMessage message, string? threadOfKey = null, string? digestAs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_local.TryGetValue(destination.Platform, out var local))
        {
            var (queued, posted) = await store.EnqueueLocalPostAsync(key, destination, message, threadOfKey, digestAs, local, cancellationToken);
            AfterCommit(queued, posted, local)();
            return queued;
        }

        var inserted = await store.EnqueuePostAsync(key, destination, message, threadOfKey, digestAs, cancellationToken);
        AfterCommit(inserted, posted: false, local: null)();
        return inserted;
    }

    public async Task<Action> EnqueuePostInAsync(string key, ChatDestination destination, OutgoingMessage message, DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_local.TryGetValue(destination.Platform, out var local))
        {
            var (queued, posted) = await store.EnqueueLocalPostInAsync(connection, transaction, key, destination, message, null, null, local, cancellationToken);
            return AfterCommit(queued, posted, local);
        }

        return AfterCommit(await store.EnqueuePostInAsync(connection, transaction, key, destination, message, null, null, cancellationToken), posted: false, local: null);
    }

    /// <summary>What shows a post once its transaction committed: the viewers of the platform that stored it, or the outbox's worker that will send it.</summary>
    private Action AfterCommit(bool queued, bool posted, IChatLocalPoster? local) => posted ? local!.Committed : queued ? signal.Notify : static () => { };

    public async Task<bool> EnqueueUpdateAsync(string postKey, ChatDestination destination, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        var queued = await store.EnqueueUpdateAsync(postKey, destination, message, cancellationToken);
        if (queued)
        {
            signal.Notify();
        }

        return queued;
    }

    public Task<string?> GetMessageIdAsync(string postKey, CancellationToken cancellationToken = default) => store.GetMessageIdAsync(postKey, cancellationToken);

    public Task<ChatPostLocation?> LocateAsync(string postKey, CancellationToken cancellationToken = default) => store.LocateAsync(postKey, cancellationToken);

    public Task<bool> ContainsAsync(string postKey, CancellationToken cancellationToken = default) => store.ContainsAsync(postKey, cancellationToken);

    public Task<bool> AdoptAsync(string key, ChatDestination destination, string messageId, CancellationToken cancellationToken = default) =>
        store.AdoptAsync(key, destination, messageId, cancellationToken);
}
