namespace ChatOps.Integrations.Chat.Queue;

/// <summary>The wait before retrying a queued item: <c>initial × 2^(attempt−1)</c>, at most <c>max</c>.</summary>
internal static class Backoff
{
    public static TimeSpan After(int attempt, TimeSpan initial, TimeSpan max)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = initial * factor;
        return delay > max ? max : delay;
    }
}
