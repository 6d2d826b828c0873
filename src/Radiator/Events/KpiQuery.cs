namespace ChatOps.Radiator.Events;

public enum KpiAggregation
{
    /// <summary>How many events.</summary>
    Count,

    /// <summary>The total of their values.</summary>
    Sum,

    /// <summary>The mean of their values.</summary>
    Avg,

    /// <summary>The 95th percentile of their values.</summary>
    P95,

    /// <summary>The total of their values per second of the window.</summary>
    Rate,
}

/// <summary>
/// What to measure, the same for every source: events of <see cref="Key"/>, or on Elasticsearch the
/// documents matching <see cref="Query"/> (query string syntax) when given.
/// </summary>
public sealed record KpiQuery(string Key, KpiAggregation Aggregation)
{
    public string? Query { get; init; }
}

/// <summary>
/// A window [<see cref="From"/>, <see cref="From"/> + <see cref="Length"/>). Windows of one request
/// share a length, start on a whole minute and lie a whole number of lengths apart, so a source can
/// answer them all with one bucketed aggregation (shifted by the same offset).
/// </summary>
public readonly record struct TimeWindow(DateTimeOffset From, TimeSpan Length)
{
    public DateTimeOffset To => From + Length;

    /// <summary>The <paramref name="count"/> whole windows ending at or before <paramref name="now"/>, oldest first.</summary>
    public static IReadOnlyList<TimeWindow> Ending(DateTimeOffset now, TimeSpan length, int count)
    {
        var lengthMs = (long)length.TotalMilliseconds;
        var endMs = now.ToUnixTimeMilliseconds() / lengthMs * lengthMs;
        var windows = new TimeWindow[count];
        for (var i = 0; i < count; i++)
        {
            windows[i] = new TimeWindow(DateTimeOffset.FromUnixTimeMilliseconds(endMs - ((count - i) * lengthMs)), length);
        }

        return windows;
    }

    /// <summary>
    /// The <paramref name="count"/> windows that end with the last whole minute before <paramref name="now"/>,
    /// oldest first: "the last five minutes" as people mean it, not the last window that happens to
    /// start on a multiple of five. Whole minutes, because that is what both sources can cut exactly.
    /// </summary>
    public static IReadOnlyList<TimeWindow> Before(DateTimeOffset now, TimeSpan length, int count)
    {
        var end = DateTimeOffset.FromUnixTimeMilliseconds(MinuteRollup.MinuteOf(now) * 60_000);
        var windows = new TimeWindow[count];
        for (var i = 0; i < count; i++)
        {
            windows[i] = new TimeWindow(end - ((count - i) * length), length);
        }

        return windows;
    }

    /// <summary>How far the windows of this length are shifted from the epoch-aligned ones, in [0, length).</summary>
    public TimeSpan Offset
    {
        get
        {
            var lengthMs = (long)Length.TotalMilliseconds;
            return TimeSpan.FromMilliseconds(((From.ToUnixTimeMilliseconds() % lengthMs) + lengthMs) % lengthMs);
        }
    }
}

/// <param name="Window">The window measured.</param>
/// <param name="Count">Events in the window.</param>
/// <param name="Value">The KPI; null when the window held nothing to average (never a made-up zero).</param>
/// <param name="Latest">The newest event in the window.</param>
/// <param name="FirstMinute">
/// The start of the first minute in the window that holds an event; minute-aligned on every source (the
/// embedded store keeps minutes), so a window whose data began part-way through can be told apart.
/// </param>
public sealed record Measurement(TimeWindow Window, long Count, double? Value, DateTimeOffset? Latest, DateTimeOffset? FirstMinute = null);

/// <summary>Where events are measured: the embedded store or Elasticsearch. Both give the same answers on the same data.</summary>
public interface IEventSource
{
    string Name { get; }

    /// <summary>Measures every window in one round trip, in the order given.</summary>
    Task<IReadOnlyList<Measurement>> MeasureAsync(KpiQuery query, IReadOnlyList<TimeWindow> windows, CancellationToken cancellationToken);
}

internal static class EventSourceExtensions
{
    public static async Task<Measurement> MeasureAsync(this IEventSource source, KpiQuery query, TimeWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return (await source.MeasureAsync(query, [window], cancellationToken))[0];
    }

    internal static void Validate(IReadOnlyList<TimeWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            throw new ArgumentException("At least one window is needed.", nameof(windows));
        }

        var length = windows[0].Length;
        if (length < TimeSpan.FromMinutes(1) || length.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentException("Windows are whole minutes.", nameof(windows));
        }

        var offset = windows[0].Offset;
        foreach (var window in windows)
        {
            if (window.Length != length || window.Offset != offset || window.From.ToUnixTimeMilliseconds() % 60_000 != 0)
            {
                throw new ArgumentException("Windows share one length, start on a whole minute and lie a whole number of lengths apart.", nameof(windows));
            }
        }
    }
}
