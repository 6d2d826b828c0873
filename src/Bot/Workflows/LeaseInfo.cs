namespace ChatOps.Bot.Workflows;

/// <summary>Who holds an environment's run lease: shown when another request is refused and in <c>status</c>.</summary>
internal sealed record LeaseInfo(string Environment, long RunId, string HolderName, string Verb, long Token, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

/// <summary>A person's hold on an environment.</summary>
internal sealed record LockInfo(string Environment, string HolderId, string HolderName, string? Reason, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

/// <summary>The answer to "may this run take the environment now?".</summary>
internal abstract record LeaseOutcome
{
    public sealed record Acquired(RunRecord Run, long Token) : LeaseOutcome;

    public sealed record Busy(LeaseInfo Lease) : LeaseOutcome;

    public sealed record Locked(LockInfo Lock) : LeaseOutcome;

    /// <summary>The run does not exist (<paramref name="Status"/> null) or is no longer waiting to start.</summary>
    public sealed record NotStartable(long RunId, RunStatus? Status) : LeaseOutcome;
}
