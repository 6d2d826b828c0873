namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>How much one destination has waiting, and for how long.</summary>
internal sealed record OutboxDestinationMetrics(ChatDestination Destination, long Depth, TimeSpan OldestAge, long Failed);

/// <summary>
/// Outbox self-monitoring: messages waiting per destination, the age of the oldest, and messages given up on.
/// <see cref="OutboxMeter"/> exposes them as instruments for <c>/metrics</c>.
/// </summary>
internal sealed class OutboxMetrics(OutboxStore store)
{
    /// <inheritdoc cref="OutboxStore.MetricsAsync"/>
    public Task<IReadOnlyList<OutboxDestinationMetrics>> CollectAsync(CancellationToken cancellationToken = default) =>
        store.MetricsAsync(cancellationToken);
}
