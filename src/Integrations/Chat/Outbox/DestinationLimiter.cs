using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// The token buckets of the outbox, one per destination, sized by <see cref="ChatDeliveryOptions.Limits"/>.
/// Budgets live in memory: after a restart each destination starts with its burst again, which the
/// platforms' own limits (and their Retry-After) tolerate.
/// </summary>
internal sealed class DestinationLimiter(IOptions<ChatDeliveryOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<ChatDestination, TokenBucket> _buckets = new();

    public TokenBucket For(ChatDestination destination) =>
        _buckets.GetOrAdd(destination, d => new TokenBucket(options.Value.LimitFor(d.Platform), time.GetUtcNow()));
}
