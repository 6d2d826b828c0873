using System.Collections.Concurrent;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Paces Web API calls before Slack has to refuse them, each method by its published tier. These are
/// workspace-wide allowances per method (users.info, conversations.history, uploads…), a concern apart
/// from how fast one channel may receive messages: that pacing is the delivery outbox's, per destination
/// and for every platform, so posts are not paced a second time here per channel. A 429 pushes the
/// method's gate back by its Retry-After so every caller waits, not only the one that was refused.
/// Runs on <see cref="TimeProvider"/>, so tests move time by hand.
/// </summary>
internal sealed class SlackRateLimiter(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Waits until a call to <paramref name="method"/> may be sent.</summary>
    public async ValueTask WaitTurnAsync(string method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        var wait = _gates.GetOrAdd(method, CreateGate).Reserve(timeProvider.GetUtcNow());
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, timeProvider, cancellationToken);
        }
    }

    /// <summary>Holds back further calls to <paramref name="method"/> after Slack answered 429 with <paramref name="retryAfter"/>.</summary>
    public void Defer(string method, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(method);
        _gates.GetOrAdd(method, CreateGate).BlockUntil(timeProvider.GetUtcNow() + retryAfter);
    }

    /// <summary>
    /// Per-minute allowances from Slack's published tiers, with a burst so short flurries pass at once;
    /// chat.postMessage's workspace-wide allowance is far above any one channel's.
    /// </summary>
    private static Gate CreateGate(string method) => method switch
    {
        "apps.connections.open" => new Gate(TimeSpan.FromMinutes(1), 3),                 // Tier 1: 1+ per minute
        "chat.update" or "conversations.history" or "conversations.replies"
            => new Gate(TimeSpan.FromMinutes(1) / 50, 10),                                  // Tier 3: 50+ per minute
        "chat.postMessage" => new Gate(TimeSpan.FromMinutes(1) / 300, 30),                 // special: workspace-wide
        "chat.postEphemeral" or "users.info" or "files.getUploadURLExternal"
            or "files.completeUploadExternal" => new Gate(TimeSpan.FromMinutes(1) / 100, 20), // Tier 4: 100+ per minute
        _ => new Gate(TimeSpan.FromMinutes(1) / 20, 5),                                    // Tier 2: the cautious default
    };

    /// <summary>
    /// A generic cell-rate gate: calls are spaced by <c>interval</c> with up to <c>burst</c> at once.
    /// Reserving takes a slot even if the caller is later cancelled, which only errs on the slow side.
    /// </summary>
    private sealed class Gate(TimeSpan interval, int burst)
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _theoreticalArrival = DateTimeOffset.MinValue;
        private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

        public TimeSpan Reserve(DateTimeOffset now)
        {
            lock (_lock)
            {
                var start = _blockedUntil > now ? _blockedUntil : now;
                var arrival = _theoreticalArrival > start ? _theoreticalArrival : start;
                var allowedAt = arrival - (interval * (burst - 1));
                if (allowedAt < start)
                {
                    allowedAt = start;
                }

                _theoreticalArrival = arrival + interval;
                return allowedAt > now ? allowedAt - now : TimeSpan.Zero;
            }
        }

        public void BlockUntil(DateTimeOffset until)
        {
            lock (_lock)
            {
                if (until > _blockedUntil)
                {
                    _blockedUntil = until;
                }
            }
        }
    }
}
