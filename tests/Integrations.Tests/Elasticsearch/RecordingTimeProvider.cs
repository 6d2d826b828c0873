using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>A manual clock that also remembers every timer asked of it, so a test can see which delay the code chose.</summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    private readonly ManualTimeProvider _inner = new();
    private readonly List<TimeSpan> _timers = [];
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyList<TimeSpan> Timers
    {
        get
        {
            lock (_timers)
            {
                return [.. _timers];
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public void Advance(TimeSpan by) => _inner.Advance(by);

    /// <summary>
    /// Completes once a timer matching <paramref name="match"/> has been created. A generous real-time
    /// guard turns "the code never asked for that delay" into a failure instead of a hung run.
    /// </summary>
    public async Task WaitForTimerAsync(Func<TimeSpan, bool> match, CancellationToken cancellationToken)
    {
        Task waiting;
        lock (_timers)
        {
            if (_timers.Any(match))
            {
                return;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            waiting = done.Task;
        }

        try
        {
            await waiting.WaitAsync(TimeSpan.FromSeconds(30), System, cancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No matching timer was created; timers seen: {string.Join(", ", Timers)}");
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _inner.CreateTimer(callback, state, dueTime, period);
        lock (_timers)
        {
            _timers.Add(dueTime);
            foreach (var waiter in _waiters.Where(w => w.Match(dueTime)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }

        return timer;
    }
}
