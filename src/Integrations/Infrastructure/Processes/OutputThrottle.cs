namespace ChatOps.Integrations.Infrastructure.Processes;

/// <summary>
/// Forwards at most <c>maxLines</c> lines per <c>interval</c> to a chat thread and counts the rest,
/// so a chatty program (terraform plan, an apt upgrade) cannot flood the channel or hit rate limits.
/// The skipped count is reported when the next window opens and on <see cref="Flush"/>; every line
/// still reaches the caller's own tail for failure reports.
/// </summary>
internal sealed class OutputThrottle(Action<string> sink, TimeProvider timeProvider, int maxLines, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _sentInWindow;
    private int _skipped;

    public void Post(string line)
    {
        string? notice = null;
        var send = false;
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            if (now - _windowStart >= interval)
            {
                _windowStart = now;
                _sentInWindow = 0;
                notice = TakeSkippedNotice();
            }

            if (_sentInWindow < maxLines)
            {
                _sentInWindow++;
                send = true;
            }
            else
            {
                _skipped++;
            }
        }

        if (notice is not null)
        {
            sink(notice);
        }

        if (send)
        {
            sink(line);
        }
    }

    /// <summary>Reports lines skipped since the last notice; call when the program ends.</summary>
    public void Flush()
    {
        string? notice;
        lock (_gate)
        {
            notice = TakeSkippedNotice();
        }

        if (notice is not null)
        {
            sink(notice);
        }
    }

    private string? TakeSkippedNotice()
    {
        if (_skipped == 0)
        {
            return null;
        }

        var notice = $"… {_skipped} line{(_skipped == 1 ? "" : "s")} not shown";
        _skipped = 0;
        return notice;
    }
}
