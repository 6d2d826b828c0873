namespace ChatOps.Integrations.Chat.Queue;

/// <summary>What a <see cref="QueueWorker{TLane, TWork}"/> hands its claimed items to.</summary>
public interface IQueueHandler<TLane, TWork>
    where TLane : notnull
    where TWork : class
{
    /// <summary>Awaited once before anything is claimed or released (the inbox waits until the host is ready).</summary>
    Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Closes an item whose claim a stopped process left and which must not run again.</summary>
    Task AbandonAsync(TWork work, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} releases left claims; it has none to abandon.");

    /// <summary>
    /// Asked before each claim in <paramref name="lane"/>: null lets it go ahead (and spends one turn of the lane's
    /// budget), a time says when the lane may go on. Default: no pacing.
    /// </summary>
    Task<DateTimeOffset?> TakeTurnAsync(TLane lane, DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);

    /// <summary>Gives back the turn taken for a claim that found nothing.</summary>
    void ReturnTurn(TLane lane)
    {
    }

    /// <summary>
    /// Does the work and records its outcome in the store (done, retry later, failed). An exception ends this round of
    /// the lane; the item keeps its claim until its lease passes.
    /// </summary>
    Task HandleAsync(TWork work, CancellationToken cancellationToken);
}
