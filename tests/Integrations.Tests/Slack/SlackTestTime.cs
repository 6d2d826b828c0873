using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Slack;

/// <summary>A <see cref="ManualTimeProvider"/> that also says how many timers were asked for, so a test knows code is waiting before it moves the clock.</summary>
internal sealed class ObservedTimeProvider(ManualTimeProvider inner) : TimeProvider
{
    private int _timers;

    public ObservedTimeProvider() : this(new ManualTimeProvider())
    {
    }

    public int TimersCreated => Volatile.Read(ref _timers);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public void Advance(TimeSpan by) => inner.Advance(by);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return inner.CreateTimer(callback, state, dueTime, period);
    }
}
