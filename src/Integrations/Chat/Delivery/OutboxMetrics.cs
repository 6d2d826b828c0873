using System.Globalization;
using System.Text;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Delivery;

/// <summary>How much one destination has waiting, and for how long.</summary>
public sealed record OutboxDestinationMetrics(ChatDestination Destination, long Depth, TimeSpan OldestAge, long Failed);

/// <summary>
/// Outbox self-monitoring: messages waiting per destination, the age of the oldest, and messages given up on.
/// <see cref="WritePrometheusAsync"/> renders them in the Prometheus text exposition format for <c>/metrics</c>.
/// </summary>
public sealed class OutboxMetrics(StateDatabase database, TimeProvider time)
{
    /// <summary>
    /// One entry per destination the outbox has seen within its retention, so a drained destination
    /// reports 0 rather than vanishing from the scrape.
    /// </summary>
    public async Task<IReadOnlyList<OutboxDestinationMetrics>> CollectAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = await database.ReadAsync(c => c.QueryAsync(
            """
            SELECT platform, channel,
                   SUM(CASE WHEN status IN ('pending', 'claimed') THEN 1 ELSE 0 END),
                   MIN(CASE WHEN status IN ('pending', 'claimed') THEN queued_at END),
                   SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END)
            FROM (SELECT platform, channel, status, queued_at FROM chat_outbox
                  UNION ALL
                  SELECT platform, channel, status, queued_at FROM chat_outbox_edits)
            GROUP BY platform, channel
            ORDER BY platform, channel
            """,
            null,
            r => new OutboxDestinationMetrics(
                new ChatDestination(r.GetString(0), r.GetString(1)),
                r.GetInt64(2),
                r.IsDBNull(3) ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, now - r.GetInt64(3))),
                r.GetInt64(4)),
            cancellationToken), cancellationToken);
        return rows;
    }

    /// <summary>The outbox gauges in Prometheus text format (version 0.0.4), one line per destination.</summary>
    public async Task<string> WritePrometheusAsync(CancellationToken cancellationToken = default)
    {
        var metrics = await CollectAsync(cancellationToken);
        var text = new StringBuilder();
        Gauge(text, "chatops_outbox_depth", "Messages waiting to be sent, per destination.", metrics, m => m.Depth.ToString(CultureInfo.InvariantCulture));
        Gauge(text, "chatops_outbox_oldest_age_seconds", "Age of the oldest waiting message, per destination.", metrics,
            m => m.OldestAge.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        Gauge(text, "chatops_outbox_failed", "Messages given up on after their last attempt, per destination.", metrics, m => m.Failed.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, IReadOnlyList<OutboxDestinationMetrics> metrics, Func<OutboxDestinationMetrics, string> value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var metric in metrics)
        {
            text.Append(name).Append("{destination=\"").Append(EscapeLabel(metric.Destination.ToString())).Append("\"} ").Append(value(metric)).Append('\n');
        }
    }

    // Label values escape backslash, double quote and line feed, as the exposition format requires.
    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
