namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// One destination's send budget in this process: a token per interval up to a burst, and a pause when the platform
/// answers with Retry-After. When several replicas share the destination, this one holds its share: with N replicas
/// (asked of <c>sharers</c> at each use, so the share follows replicas joining and dying) a token takes N intervals and
/// the burst is 1/N of the platform's, but never below one send. Time comes from the caller, so the bucket follows
/// whatever clock it is given.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval;
    private readonly int _burst;
    private readonly Func<DateTimeOffset, int>? _sharers;
    private double _tokens;
    private DateTimeOffset _updated;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <param name="limit">The platform's limit for one destination.</param>
    /// <param name="now">When the bucket starts, full (with its share of the burst).</param>
    /// <param name="sharers">How many replicas share the destination at a given instant; one when null.</param>
    public TokenBucket(ChatRateLimit limit, DateTimeOffset now, Func<DateTimeOffset, int>? sharers = null)
    {
        _interval = limit.TokenInterval;
        _burst = limit.Burst;
        _sharers = sharers;
        _tokens = ShareAt(now).Burst;
        _updated = now;
    }

    /// <summary>True for a platform configured without a rate (the web chat): only pauses hold it back.</summary>
    public bool Unlimited => _interval <= TimeSpan.Zero;

    public bool TryTake(DateTimeOffset now) => TryTake(now, 1) == 1;

    /// <summary>Takes as many whole tokens as there are, up to <paramref name="max"/>; returns how many.</summary>
    public int TryTake(DateTimeOffset now, int max)
    {
        lock (_gate)
        {
            if (now < _pausedUntil)
            {
                return 0;
            }

            if (Unlimited)
            {
                return max;
            }

            Refill(now);
            var taken = (int)Math.Min(max, Math.Floor(_tokens));
            _tokens -= taken;
            return taken;
        }
    }

    /// <summary>Whether sends wait for a pause at <paramref name="now"/>.</summary>
    public bool IsPausedAt(DateTimeOffset now)
    {
        lock (_gate)
        {
            return now < _pausedUntil;
        }
    }

    /// <summary>Gives back tokens taken for work that turned out not to exist (or could not be sent).</summary>
    public void Refund(int count = 1)
    {
        lock (_gate)
        {
            _tokens = Math.Min(ShareAt(_updated).Burst, _tokens + count);
        }
    }

    /// <summary>Sends nothing before <paramref name="until"/>; then one token is ready.</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            if (until <= _pausedUntil)
            {
                return;
            }

            _pausedUntil = until;
            _tokens = Unlimited ? 0 : 1;
            _updated = until;
        }
    }

    /// <summary>When the next send may go.</summary>
    public DateTimeOffset NextTokenAt(DateTimeOffset now)
    {
        lock (_gate)
        {
            var ready = now;
            if (!Unlimited)
            {
                Refill(now);
                if (_tokens < 1)
                {
                    ready = now + (ShareAt(now).Interval * (1 - _tokens));
                }
            }

            return ready > _pausedUntil ? ready : _pausedUntil;
        }
    }

    /// <summary>
    /// This replica's part of the limit at <paramref name="now"/>. The burst is rounded up to one send: a replica that
    /// could never hold a whole token would never send, so with more replicas than the burst the platform may see
    /// a burst of one per replica; the rate stays the platform's.
    /// </summary>
    private (TimeSpan Interval, double Burst) ShareAt(DateTimeOffset now)
    {
        var sharers = Math.Max(1, _sharers?.Invoke(now) ?? 1);
        return (_interval * sharers, Math.Max(1d, (double)_burst / sharers));
    }

    private void Refill(DateTimeOffset now)
    {
        var share = ShareAt(now);
        if (now > _updated)
        {
            _tokens += (now - _updated) / share.Interval;
            _updated = now;
        }

        // Also when the share shrank since the last refill: a replica that joined takes its part of the burst at once.
        _tokens = Math.Min(share.Burst, _tokens);
    }
}
