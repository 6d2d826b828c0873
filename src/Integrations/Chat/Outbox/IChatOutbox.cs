using System.Data.Common;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// Every outgoing message goes through here: it is written to the state store before anything is
/// sent, and the outbox's worker delivers it later, paced per destination. Keys are chosen by the caller and
/// make enqueueing idempotent, for instance <c>alert:{fingerprint}:{transition}:{destination}</c> or
/// <c>run:{id}</c>. Each post goes out carrying its key (<see cref="OutgoingMessage.DeliveryKey"/>),
/// so after a crash between the platform taking it and its id being recorded, the post is found by its
/// key (<see cref="IChatPostLookup"/>) instead of being shown twice: exactly once on platforms that keep
/// the key (web chat, Slack), at least once on any other. Writes are queued in the order they are called, even when
/// the caller does not wait for one before calling the next: posts to one destination started that way go out in that order.
/// </summary>
public interface IChatOutbox
{
    /// <summary>
    /// Queues a new message. Enqueueing a key that already exists changes nothing and returns false.
    /// </summary>
    /// <param name="key">Identifies this post for good; later edits and thread replies refer to it.</param>
    /// <param name="destination">Where to post.</param>
    /// <param name="message">What to post.</param>
    /// <param name="threadOfKey">Key of an earlier post to reply under; the reply waits until that post is out.</param>
    /// <param name="digestAs">
    /// A noun ("alert", "pulse") when this post may be merged into a digest under a burst; null (progress
    /// messages, confirmations with buttons) when it must always go out on its own.
    /// </param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<bool> EnqueuePostAsync(string key, ChatDestination destination, OutgoingMessage message, string? threadOfKey = null, string? digestAs = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a new message as <see cref="EnqueuePostAsync"/> does, inside the caller's transaction (the inbox's, keeping the
    /// request it answers), neither in a thread nor digested. Returns what to call once that transaction committed: it
    /// wakes whatever shows or sends the message.
    /// </summary>
    Task<Action> EnqueuePostInAsync(string key, ChatDestination destination, OutgoingMessage message, DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the content of the post enqueued as <paramref name="postKey"/>. Only the newest pending
    /// content is sent, never before the post itself; if the post is still waiting, its content is replaced.
    /// Returns false, queueing nothing, when no post was ever enqueued with that key (or it outlived
    /// <see cref="ChatDeliveryOptions.Retention"/>).
    /// </summary>
    Task<bool> EnqueueUpdateAsync(string postKey, ChatDestination destination, OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>The platform's id of the post enqueued as <paramref name="postKey"/>, or null while it is not out (yet).</summary>
    Task<string?> GetMessageIdAsync(string postKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Where the post enqueued as <paramref name="postKey"/> lives: its destination and, once it is out,
    /// the platform's message id. Null when no post has that key (or it outlived <see cref="ChatDeliveryOptions.Retention"/>).
    /// A button press is checked against this, so a press counts only from the message that carries the button.
    /// </summary>
    Task<ChatPostLocation?> LocateAsync(string postKey, CancellationToken cancellationToken = default);

    /// <summary>Whether a post was ever enqueued as <paramref name="postKey"/> (sent or not), within <see cref="ChatDeliveryOptions.Retention"/>.</summary>
    Task<bool> ContainsAsync(string postKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a message already on the platform (one a person wrote, a thread they started) under
    /// <paramref name="key"/>, so posts can reply under it with <c>threadOfKey</c>. Nothing is sent.
    /// Returns false when the key exists already.
    /// </summary>
    Task<bool> AdoptAsync(string key, ChatDestination destination, string messageId, CancellationToken cancellationToken = default);
}
