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
    /// Asked before each claim of up to <paramref name="wanted"/> items of <paramref name="lane"/>: how many may go now,
    /// each spending a turn of the lane's budget (at least one, or none and when the lane may go on). Default: no pacing.
    /// </summary>
    Task<LaneTurns> TakeTurnsAsync(TLane lane, int wanted, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(new LaneTurns(wanted, null));

    /// <summary>Gives back <paramref name="count"/> turns taken for claims that found less than was asked for.</summary>
    void ReturnTurns(TLane lane, int count)
    {
    }

    /// <summary>
    /// Does the work and records its outcome in the store (done, retry later, failed). An exception ends this round of
    /// the lane; the item keeps its claim until its lease passes.
    /// </summary>
    Task HandleAsync(TWork work, CancellationToken cancellationToken);

    /// <summary>Handles items of one lane claimed together, in order. Default: <see cref="HandleAsync"/> one after another.</summary>
    async Task HandleAllAsync(IReadOnlyList<TWork> works, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(works);
        foreach (var work in works)
        {
            await HandleAsync(work, cancellationToken);
        }
    }
}
