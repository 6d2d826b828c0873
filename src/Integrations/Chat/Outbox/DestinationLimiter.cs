using System.Collections.Concurrent;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Coordination;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// The outbox's send budgets, one token bucket per destination sized by <see cref="ChatDeliveryOptions.Limits"/>, and
/// the pauses platforms ask for, shared by every replica on the state store.
/// <para>
/// Budgets are divided, not shared: each replica paces itself with 1/N of a destination's rate and burst,
/// N being the live replicas (<see cref="LiveReplicas"/>, read at each heartbeat). A bucket kept in the database would be
/// exact, but would cost a write transaction per message behind the store's one write lock, on the path every reply
/// and alert takes; the division costs nothing per message. What it gives up: a replica's unused share is not lent to
/// the others, a replica joining is counted by the others only at their next heartbeat, and with more replicas than a
/// platform's burst each still bursts one send. The platform's own answer covers the rest: a 429 heard by any replica
/// is written to <see cref="DestinationPauseStore"/> and read by every other before its next send to that destination.
/// </para>
/// Buckets live in memory: after a restart each destination starts with its share of the burst again.
/// </summary>
internal sealed class DestinationLimiter(
    IOptions<ChatDeliveryOptions> options,
    DestinationPauseStore pauses,
    LiveReplicas replicas,
    ReplicaIdentity self,
    TimeProvider time,
    ILogger<DestinationLimiter> logger)
{
    private readonly ConcurrentDictionary<ChatDestination, TokenBucket> _buckets = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _platformPausedUntil = new(StringComparer.OrdinalIgnoreCase);

    public TokenBucket For(ChatDestination destination) =>
        _buckets.GetOrAdd(destination, d => new TokenBucket(options.Value.LimitFor(d.Platform), time.GetUtcNow(), replicas.CountAt));

    /// <summary>
    /// Takes up to <paramref name="wanted"/> sends of <paramref name="destination"/>'s budget: as many as it holds, or none
    /// and when the destination may go on. A pause another replica recorded is read first (once for them all) and
    /// honoured; a store that cannot say gives the tokens back and throws before anything is claimed, so no message waits
    /// on a claim or goes out twice.
    /// </summary>
    public async Task<LaneTurns> TakeTurnsAsync(ChatDestination destination, int wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bucket = For(destination);
        if (_platformPausedUntil.TryGetValue(destination.Platform, out var platformUntil) && platformUntil > now)
        {
            bucket.PauseUntil(platformUntil);
        }

        var taken = bucket.TryTake(now, wanted);
        if (taken == 0)
        {
            return new LaneTurns(0, bucket.NextTokenAt(now));
        }

        // A process that never had company only meets pauses it took itself, which its buckets already hold. A platform
        // configured without a rate (our own web chat) sets no pauses: reading them would cost every message a query.
        if (replicas.Alone || bucket.Unlimited)
        {
            return new LaneTurns(taken, null);
        }

        DateTimeOffset? until;
        try
        {
            until = await pauses.PausedUntilAsync(destination, now, cancellationToken);
        }
        catch
        {
            bucket.Refund(taken);
            throw;
        }

        if (until is not { } pausedUntil)
        {
            return new LaneTurns(taken, null);
        }

        bucket.PauseUntil(pausedUntil);
        Log.SharedPauseHonoured(logger, destination, pausedUntil);
        return new LaneTurns(0, pausedUntil);
    }

    /// <summary>
    /// Pauses <paramref name="destination"/> (its whole platform when <paramref name="platformWide"/>) for the platform's
    /// <paramref name="retryAfter"/>, at most <see cref="ChatDeliveryOptions.MaxPause"/>, here and, through the store,
    /// in every replica. Returns when sending may resume. A store that cannot take the pause is logged and skipped:
    /// this replica still waits, and the others learn of the limit from the platform.
    /// </summary>
    public async Task<DateTimeOffset> PauseAsync(ChatDestination destination, TimeSpan retryAfter, bool platformWide, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var maxPause = options.Value.MaxPause;
        if (retryAfter > maxPause)
        {
            Log.RetryAfterCapped(logger, destination, retryAfter, maxPause);
            retryAfter = maxPause;
        }

        var until = now + retryAfter;
        For(destination).PauseUntil(until);
        if (platformWide)
        {
            _platformPausedUntil.AddOrUpdate(destination.Platform, until, (_, earlier) => earlier > until ? earlier : until);
        }

        var channel = platformWide ? DestinationPauseStore.WholePlatform : destination.Channel;
        try
        {
            await pauses.PauseAsync(destination.Platform, channel, until, self.Name, now, cancellationToken);
            Log.PauseShared(logger, destination.Platform, platformWide ? "*" : destination.Channel, until);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.PauseNotShared(logger, exception, destination, until);
        }

        return until;
    }
}
