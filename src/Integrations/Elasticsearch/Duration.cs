namespace ChatOps.Integrations.Elasticsearch;

/// <summary>Writes a TimeSpan in Elasticsearch's duration units (<c>5m</c>, <c>30s</c>, <c>1500ms</c>).</summary>
internal static class Duration
{
    public static string Format(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
        var ms = (long)value.TotalMilliseconds;
        if (ms == 0 || value.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Durations are whole milliseconds.");
        }

        return ms switch
        {
            _ when ms % 86_400_000 == 0 => $"{ms / 86_400_000}d",
            _ when ms % 3_600_000 == 0 => $"{ms / 3_600_000}h",
            _ when ms % 60_000 == 0 => $"{ms / 60_000}m",
            _ when ms % 1_000 == 0 => $"{ms / 1_000}s",
            _ => $"{ms}ms",
        };
    }
}
