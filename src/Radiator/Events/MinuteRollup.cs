namespace ChatOps.Radiator.Events;

/// <summary>Everything a KPI needs about one key's events in one minute; two roll-ups merge exactly.</summary>
internal sealed class MinuteRollup(string key, long minute)
{
    public string Key { get; } = key;

    /// <summary>Minutes since the Unix epoch.</summary>
    public long Minute { get; } = minute;

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>Unix milliseconds of the newest event.</summary>
    public long Latest { get; private set; } = long.MinValue;

    public ValueHistogram Histogram { get; } = new();

    public void Add(RadiatorEvent e)
    {
        Count++;
        Sum += e.Value;
        Min = Math.Min(Min, e.Value);
        Max = Math.Max(Max, e.Value);
        Latest = Math.Max(Latest, e.Timestamp.ToUnixTimeMilliseconds());
        Histogram.Add(e.Value);
    }

    public void Merge(long count, double sum, double min, double max, long latest, ReadOnlySpan<byte> encodedHistogram)
    {
        MergeTotals(count, sum, min, max, latest);
        Histogram.MergeEncoded(encodedHistogram);
    }

    public void Merge(MinuteRollup other)
    {
        ArgumentNullException.ThrowIfNull(other);
        MergeTotals(other.Count, other.Sum, other.Min, other.Max, other.Latest);
        Histogram.Merge(other.Histogram);
    }

    private void MergeTotals(long count, double sum, double min, double max, long latest)
    {
        Count += count;
        Sum += sum;
        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
        Latest = Math.Max(Latest, latest);
    }

    public static long MinuteOf(DateTimeOffset timestamp) => Math.DivRem(timestamp.ToUnixTimeMilliseconds(), 60_000, out var rem) - (rem < 0 ? 1 : 0);
}
