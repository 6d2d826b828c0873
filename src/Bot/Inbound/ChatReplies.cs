using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Outbox;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// Answers to what people send, through the outbox. Each answer's key comes from the inbound
/// delivery it answers, so a delivery handled twice (a platform retry, a re-queued event) is
/// answered once. A reply in a thread goes under the platform's message, recorded in the outbox as
/// the thread's parent (<see cref="ThreadParents"/>, shared with the inbox's "too busy").
/// </summary>
internal sealed class ChatReplies(IChatOutbox outbox)
{
    /// <summary>The key of the answer to delivery <paramref name="deliveryId"/>.</summary>
    public static string ReplyKey(string deliveryId) => ChatInbox.AnswerKey(deliveryId);

    /// <summary>
    /// Whether delivery <paramref name="deliveryId"/> was answered: answering is the last thing its
    /// handling does, so an answered delivery ran to its end.
    /// </summary>
    public Task<bool> AnsweredAsync(string deliveryId, CancellationToken cancellationToken) => outbox.ContainsAsync(ReplyKey(deliveryId), cancellationToken);

    /// <summary>Queues <paramref name="message"/> under <paramref name="key"/>, in the thread of <paramref name="threadOf"/> when given.</summary>
    public async Task ReplyAsync(string key, ChatDestination destination, OutgoingMessage message, string? threadOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var threadKey = string.IsNullOrEmpty(threadOf) ? null : await outbox.AdoptThreadParentAsync(destination, threadOf, cancellationToken);
        // Never merged into a digest: it answers one person.
        await outbox.EnqueuePostAsync(key, destination, message, threadKey, cancellationToken: cancellationToken);
    }

    /// <summary>Replaces the answer queued under <paramref name="key"/> with <paramref name="message"/>, edited in place.</summary>
    public Task ReplaceAsync(string key, ChatDestination destination, OutgoingMessage message, CancellationToken cancellationToken) =>
        outbox.EnqueueUpdateAsync(key, destination, message, cancellationToken);
}
