namespace ChatOps.Bot.Workflows;

/// <summary>
/// Why a run did not start, as facts: who holds the environment, whose lock is on it, or what became of
/// the run. Said in words by <see cref="RunWording.Describe(RunRefusal)"/> alone, so every platform and
/// the audit trail say it the same way.
/// </summary>
/// <param name="At">When it was refused: "for 2 minutes", "since 5 minutes ago" are measured from here.</param>
internal abstract record RunRefusal(DateTimeOffset At)
{
    /// <summary>Another run holds the environment's lease; <paramref name="Doing"/> is how that run is spoken of ("bringing test up").</summary>
    public sealed record Busy(LeaseInfo Lease, string Doing, DateTimeOffset At) : RunRefusal(At);

    /// <summary>Someone other than the requester holds the environment's lock.</summary>
    public sealed record Locked(LockInfo Lock, DateTimeOffset At) : RunRefusal(At);

    /// <summary>The run no longer waits to start; <paramref name="Status"/> is null when it does not exist.</summary>
    public sealed record NotStartable(long RunId, RunStatus? Status, DateTimeOffset At) : RunRefusal(At);

    /// <summary>The refusal a lease attempt ended in; null when the lease was taken.</summary>
    public static RunRefusal? Of(LeaseOutcome outcome, RunKinds kinds, DateTimeOffset at) => outcome switch
    {
        LeaseOutcome.Busy busy => new Busy(busy.Lease, kinds.Gerund(busy.Lease.Verb, busy.Lease.Environment), at),
        LeaseOutcome.Locked locked => new Locked(locked.Lock, at),
        LeaseOutcome.NotStartable not => new NotStartable(not.RunId, not.Status, at),
        _ => null,
    };
}

/// <summary>What became of a request to run a verb.</summary>
internal abstract record RunRequestResult
{
    /// <summary>The run holds the lease and executes; its message shows the progress.</summary>
    public sealed record Started(RunRecord Run) : RunRequestResult;

    /// <summary>The run waits for its requester's confirmation; its message asks for it.</summary>
    public sealed record AwaitingConfirmation(RunRecord Run) : RunRequestResult;

    /// <summary>Nothing was started; the requester is told why.</summary>
    public sealed record Refused(RunRefusal Refusal) : RunRequestResult;
}
