namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// One destination's send budget: a token per interval up to a burst, and a pause when the platform
/// answers with Retry-After. Time comes from the caller, so the bucket follows whatever clock it is given.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval;
    private readonly int _burst;
    private double _tokens;
    private DateTimeOffset _updated;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    public TokenBucket(ChatRateLimit limit, DateTimeOffset now)
    {
        _interval = limit.TokenInterval;
        _burst = limit.Burst;
        _tokens = limit.Burst;
        _updated = now;
    }

    private bool Unlimited => _interval <= TimeSpan.Zero;

    public bool TryTake(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now < _pausedUntil)
            {
                return false;
            }

            if (Unlimited)
            {
                return true;
            }

            Refill(now);
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }

    /// <summary>Gives back a token taken for work that turned out not to exist.</summary>
    public void Refund()
    {
        lock (_gate)
        {
            _tokens = Math.Min(_burst, _tokens + 1);
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
                    ready = now + (_interval * (1 - _tokens));
                }
            }

            return ready > _pausedUntil ? ready : _pausedUntil;
        }
    }

    private void Refill(DateTimeOffset now)
    {
        if (now <= _updated)
        {
            return;
        }

        _tokens = Math.Min(_burst, _tokens + ((now - _updated) / _interval));
        _updated = now;
    }
}
