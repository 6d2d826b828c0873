using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>The outbox tables read for <see cref="OutboxMetrics"/>.</summary>
internal sealed partial class OutboxStore
{
    /// <summary>
    /// One entry per destination the outbox has seen within its retention, so a drained destination
    /// reports 0 rather than vanishing from the scrape.
    /// </summary>
    public async Task<IReadOnlyList<OutboxDestinationMetrics>> MetricsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await database.ReadAsync(c => c.QueryAsync(
            """
            SELECT platform, channel,
                   SUM(CASE WHEN status IN ('pending', 'claimed') THEN 1 ELSE 0 END),
                   MIN(CASE WHEN status IN ('pending', 'claimed') THEN queued_at END),
                   SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END)
            FROM (SELECT platform, channel, status, queued_at FROM chat_outbox
                  UNION ALL
                  SELECT platform, channel, status, queued_at FROM chat_outbox_edits) AS queued
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
    }
}
