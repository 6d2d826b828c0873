namespace ChatOps.Integrations.Chat.Queue;

/// <summary>What <see cref="IQueueStore{TLane, TWork}.ReleaseLeftClaimsAsync"/> found at start.</summary>
/// <param name="Released">Items made claimable again at once, rather than after their lease.</param>
/// <param name="Abandoned">Items that must not run again; <see cref="IQueueHandler{TLane, TWork}.AbandonAsync"/> closes each.</param>
public sealed record LeftClaims<TWork>(int Released, IReadOnlyList<TWork> Abandoned);
