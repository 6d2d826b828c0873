namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// One measured scenario: each completed round trip's latency and the wall time the whole loop
/// took, so requests/s counts the client's own waiting and not only the server's.
/// </summary>
public sealed record Measurement(string Target, string Scenario, int Clients, IReadOnlyList<TimeSpan> Latencies, TimeSpan Elapsed, int Failures)
{
    public int Count => Latencies.Count;

    public TimeSpan P50 => Percentile(0.50);

    public TimeSpan P99 => Percentile(0.99);

    /// <summary>Completed round trips per second of the loop; null where the loop also did unmeasured work.</summary>
    public double? RequestsPerSecond => Elapsed > TimeSpan.Zero ? Count / Elapsed.TotalSeconds : null;

    /// <summary>Nearest rank: with fewer than 100 samples p99 is simply the slowest one.</summary>
    public TimeSpan Percentile(double fraction)
    {
        if (Latencies.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = Latencies.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
