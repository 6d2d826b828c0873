namespace ChatOps.Integrations.Chat.Queue;

/// <summary>How one <see cref="QueueWorker{TLane, TWork}"/> runs; each queue fills it from its own options.</summary>
public sealed record QueueSettings
{
    /// <summary>The queue's name in logs ("inbox", "outbox").</summary>
    public required string Name { get; init; }

    /// <summary>How many lanes are served at the same time; null for no limit.</summary>
    public int? MaxLanes { get; init; }

    /// <summary>
    /// The most items of one lane claimed together (and handed over together, <see cref="IQueueHandler{TLane, TWork}.HandleAllAsync"/>):
    /// one commit claims them all. One for a queue whose items must never run twice, since a process that dies holding
    /// claims it has not started would leave them too.
    /// </summary>
    public int ClaimBatch { get; init; } = 1;

    /// <summary>How long a claim holds before another claim may take the item again.</summary>
    public TimeSpan ClaimLease { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Longest sleep between rounds when nothing wakes the worker.</summary>
    public TimeSpan IdleInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait after a round that failed (the store unreachable) before the next.</summary>
    public TimeSpan FailureDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long finished items are kept before <see cref="IQueueStore{TLane, TWork}.PruneAsync"/> deletes them.</summary>
    public required TimeSpan Retention { get; init; }

    /// <summary>How often finished items are pruned.</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often, after start, the worker looks again for claims left by a replica that died while this one runs.
    /// <see cref="Timeout.InfiniteTimeSpan"/> for only at start.
    /// </summary>
    public TimeSpan LeftClaimsInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Keep what arrives, claim nothing (after left claims are dealt with).</summary>
    public bool Paused { get; init; }
}
