namespace ChatOps.Integrations.Chat;

/// <summary>
/// A sender that posts several top-level messages to one destination in one call, in order, all or none: the outbox hands
/// it a run of claimed posts instead of one call each. Our web chat stores such a run in one transaction.
/// </summary>
public interface IChatBatchPoster
{
    /// <summary>Posts <paramref name="messages"/> to <paramref name="destination"/> in order; returns each one's platform id, in the same order.</summary>
    Task<IReadOnlyList<string>> PostAllAsync(ChatDestination destination, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default);
}
