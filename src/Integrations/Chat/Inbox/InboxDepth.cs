namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>What the inbox holds that is not finished.</summary>
/// <param name="Waiting">Kept and acknowledged, not yet started: behind their sender's earlier messages or the parallelism.</param>
/// <param name="Running">Started and not finished.</param>
/// <param name="OldestWaitingSince">When the oldest waiting delivery came; null when none waits.</param>
public sealed record InboxDepth(long Waiting, long Running, DateTimeOffset? OldestWaitingSince);
