namespace ChatOps.Integrations.Coordination;

/// <summary>
/// How far this replica's clock is from the database server's (positive: the server's is ahead), read halfway through one
/// round trip; the true offset lies within <see cref="Uncertainty"/> (half that round trip) of <see cref="Offset"/>.
/// </summary>
public readonly record struct ClockOffset(TimeSpan Offset, TimeSpan Uncertainty)
{
    /// <summary>Whether the clocks are surely more than <paramref name="allowed"/> apart, whatever the round trip hid.</summary>
    public bool Exceeds(TimeSpan allowed) => Offset.Duration() - Uncertainty > allowed;

    /// <summary>"1.2 s ahead of" or "350 ms behind": this replica's clock, against the server's.</summary>
    public string Describe()
    {
        var size = Offset.Duration();
        var amount = size >= TimeSpan.FromSeconds(1) ? $"{size.TotalSeconds:0.0} s" : $"{size.TotalMilliseconds:0} ms";
        return Offset > TimeSpan.Zero ? $"{amount} behind" : $"{amount} ahead of";
    }
}
