using Microsoft.Extensions.Time.Testing;

namespace ChatOps.TestCommon;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also remembers the due time of every timer asked of it, so a
/// test knows the code is waiting (and for how long) before it moves the clock: moving it earlier would
/// prove nothing about the wait.
/// </summary>
public sealed class ObservedTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _timers = [];

    public ObservedTimeProvider()
    {
    }

    public ObservedTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>The due time of every timer created so far, in order.</summary>
    public IReadOnlyList<TimeSpan> Timers
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers];
            }
        }
    }

    public int TimersCreated => Timers.Count;

    /// <summary>Waits (bounded, see <see cref="Wait"/>) until a timer matching <paramref name="match"/> has been created.</summary>
    public Task WaitForTimerAsync(Func<TimeSpan, bool> match, string what) =>
        Wait.UntilAsync(() => Timers.Any(match), what, lastSeen: () => $"timers: {string.Join(", ", Timers)}");

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Add(dueTime);
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }
}
