namespace ChatOps.Integrations.Chat.Outbox;

internal enum OutboxWorkKind
{
    Post,
    Digest,
    Edit,
}

/// <summary>
/// One claimed row, ready to send. <see cref="ClaimToken"/> fences the completion: a process whose
/// lease passed to another claim cannot overwrite what the other recorded.
/// </summary>
internal sealed record OutboxWork(
    OutboxWorkKind Kind,
    string Key,
    ChatDestination Destination,
    OutgoingMessage Message,
    string ClaimToken,
    int Attempt,
    DateTimeOffset? AbandonedAttemptAt)
{
    /// <summary>When the row was enqueued: no attempt to send it, and so no post of it, can be older.</summary>
    public DateTimeOffset QueuedAt { get; init; }

    /// <summary>
    /// When an earlier attempt at this row began, whatever became of it (abandoned, timed out, failed):
    /// that attempt may have reached the platform, so a post is looked up before it is posted again.
    /// </summary>
    public DateTimeOffset? PreviousAttemptAt { get; init; }

    /// <summary>Until when the claim holds: a send must be over by then, or another claim may send the row again.</summary>
    public DateTimeOffset LeaseUntil { get; init; }

    /// <summary>Posts: the platform id of the message to reply under.</summary>
    public string? ThreadOf { get; init; }

    /// <summary>Edits: the message to replace; null when the edited post only went out inside a digest.</summary>
    public string? TargetMessageId { get; init; }

    /// <summary>Edits: the post this edit replaces was never delivered.</summary>
    public bool TargetFailed { get; init; }

    /// <summary>Edits: the content version being sent.</summary>
    public long Version { get; init; }
}
