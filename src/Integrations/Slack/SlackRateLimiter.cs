using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Paces Web API calls before Slack has to refuse them: each method by its published tier, and
/// chat.postMessage per channel at about one message a second. A 429 pushes the gate back by its
/// Retry-After so every caller waits, not only the one that was refused. Runs on
/// <see cref="TimeProvider"/>, so tests move time by hand.
/// </summary>
public sealed class SlackRateLimiter(TimeProvider timeProvider, IOptions<SlackOptions> options)
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Waits until a call to <paramref name="method"/> (in <paramref name="channel"/>) may be sent.</summary>
    public async ValueTask WaitTurnAsync(string method, string? channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        var wait = TimeSpan.Zero;
        foreach (var gate in GatesFor(method, channel))
        {
            var reserved = gate.Reserve(timeProvider.GetUtcNow());
            wait = reserved > wait ? reserved : wait;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, timeProvider, cancellationToken);
        }
    }

    /// <summary>Holds back further calls after Slack answered 429 with <paramref name="retryAfter"/>.</summary>
    public void Defer(string method, string? channel, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(method);
        var until = timeProvider.GetUtcNow() + retryAfter;
        // chat.postMessage is limited per channel; the refusal says nothing about other channels.
        var key = IsPerChannel(method) && channel is not null ? ChannelKey(channel) : method;
        _gates.GetOrAdd(key, k => CreateGate(k)).BlockUntil(until);
    }

    private IEnumerable<Gate> GatesFor(string method, string? channel)
    {
        yield return _gates.GetOrAdd(method, k => CreateGate(k));
        if (IsPerChannel(method) && channel is not null)
        {
            yield return _gates.GetOrAdd(ChannelKey(channel), k => CreateGate(k));
        }
    }

    private static bool IsPerChannel(string method) => method == "chat.postMessage";

    private static string ChannelKey(string channel) => "channel:" + channel;

    private Gate CreateGate(string key)
    {
        if (key.StartsWith("channel:", StringComparison.Ordinal))
        {
            return new Gate(options.Value.ChannelMessageInterval, 1);
        }

        // Per-minute allowances from Slack's published tiers, with a burst so short flurries pass
        // at once; chat.postMessage's workspace-wide allowance is far above its per-channel one.
        return key switch
        {
            "apps.connections.open" => new Gate(TimeSpan.FromMinutes(1), 3),                 // Tier 1: 1+ per minute
            "chat.update" or "conversations.history" or "conversations.replies"
                => new Gate(TimeSpan.FromMinutes(1) / 50, 10),                                  // Tier 3: 50+ per minute
            "chat.postMessage" => new Gate(TimeSpan.FromMinutes(1) / 300, 30),                 // special: per channel
            "chat.postEphemeral" or "users.info" or "files.getUploadURLExternal"
                or "files.completeUploadExternal" => new Gate(TimeSpan.FromMinutes(1) / 100, 20), // Tier 4: 100+ per minute
            _ => new Gate(TimeSpan.FromMinutes(1) / 20, 5),                                    // Tier 2: the cautious default
        };
    }

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
