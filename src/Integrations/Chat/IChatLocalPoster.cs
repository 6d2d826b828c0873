using System.Data.Common;

namespace ChatOps.Integrations.Chat;

/// <summary>
/// A platform whose messages are rows of the state store itself (the web chat). The outbox stores such a post in the
/// transaction that queues it, instead of claiming and sending it later, when the platform has no rate limit and nothing
/// of the destination waits before it: the answer then costs one commit, and it is exactly once by the transaction.
/// </summary>
public interface IChatLocalPoster
{
    string Platform { get; }

    /// <summary>
    /// Stores <paramref name="message"/> inside the caller's transaction, under <paramref name="threadOf"/> (a message id of
    /// this platform) when given; returns its id. The caller records it sent in that transaction, so it is never posted again.
    /// </summary>
    Task<string> PostInAsync(DbConnection connection, DbTransaction transaction, ChatDestination destination, OutgoingMessage message, string? threadOf,
        CancellationToken cancellationToken);

    /// <summary>Called once the transaction of one or more <see cref="PostInAsync"/> committed: wakes whatever shows them.</summary>
    void Committed();
}
