namespace ChatOps.Integrations.Chat.Queue;

/// <summary>
/// The durable side of one queue: a table whose rows are claimed one lane at a time. The SQL lives in
/// the implementing store; the <see cref="QueueWorker{TLane, TWork}"/> only decides when to call it.
/// </summary>
/// <typeparam name="TLane">What serialises the work: one item of a lane is in flight at a time (a person in a channel, a destination).</typeparam>
/// <typeparam name="TWork">One claimed item.</typeparam>
internal interface IQueueStore<TLane, TWork>
    where TLane : notnull
    where TWork : class
{
    /// <summary>The lanes that hold an item claimable at <paramref name="now"/>, the one waiting longest first.</summary>
    Task<IReadOnlyList<TLane>> DueLanesAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the oldest claimable item of <paramref name="lane"/> until <paramref name="now"/> + <paramref name="lease"/>,
    /// or returns null when none is. A store whose items must never run twice keeps its claims for good and ignores the lease.
    /// </summary>
    Task<TWork?> ClaimNextAsync(TLane lane, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> of the oldest claimable items of <paramref name="lane"/> in one commit, oldest
    /// first; empty when none is. A store that claims one at a time claims one. <paramref name="knownDue"/>: the lane was
    /// just listed as due (the first claim of its turn), so a store that looks before it writes may skip the look.
    /// </summary>
    async Task<IReadOnlyList<TWork>> ClaimAsync(TLane lane, int max, bool knownDue, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        await ClaimNextAsync(lane, now, lease, cancellationToken) is { } work ? [work] : [];

    /// <summary>The earliest time after <paramref name="now"/> at which an item becomes due or a lease passes; null when none will.</summary>
    Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Deals with claims that a stopped process left: once at start (<paramref name="starting"/> true, before anything
    /// is claimed), and then every <see cref="QueueSettings.LeftClaimsInterval"/>, since with several replicas on one
    /// store a replica can die while the others go on. Only claims of replicas that are not alive are touched, and at
    /// start those left under this replica's own name too. The store either makes such items claimable again (counted in
    /// <see cref="LeftClaims{TWork}.Released"/>) or, when running them twice could do harm, returns them untouched for the
    /// handler to close (<see cref="LeftClaims{TWork}.Abandoned"/>).
    /// </summary>
    Task<LeftClaims<TWork>> ReleaseLeftClaimsAsync(DateTimeOffset now, bool starting, CancellationToken cancellationToken);

    /// <summary>Deletes finished items older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
