using ChatOps.Integrations.Storage;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// What the radiator's own watchers must remember across a restart: since when each rule's condition
/// has held (its <c>For</c>), and each failing source's outage with whether its "degraded" notice is queued.
/// </summary>
internal sealed class AlertWatchStore(StateDatabase database)
{
    /// <summary>
    /// Records that <paramref name="rule"/>'s condition holds at <paramref name="now"/> and returns since when.
    /// A gap longer than <paramref name="maxGap"/> since it was last seen holding (the host was down) starts
    /// again from now: nobody watched the condition in between.
    /// </summary>
    public Task<DateTimeOffset> HoldingAsync(string rule, DateTimeOffset now, TimeSpan maxGap, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var seen = await connection.QueryAsync(
                "SELECT since, checked_at FROM radiator_alert_rule_pending WHERE rule = @r", transaction,
                r => (Since: r.GetTimestamp(0), Checked: r.GetTimestamp(1)), cancellationToken, ("@r", rule));
            var since = seen is [var s] && now - s.Checked <= maxGap && s.Since <= now ? s.Since : now;
            await connection.ExecuteAsync(
                "INSERT INTO radiator_alert_rule_pending (rule, since, checked_at) VALUES (@r, @since, @now) ON CONFLICT (rule) DO UPDATE SET since = excluded.since, checked_at = excluded.checked_at", transaction, cancellationToken,
                ("@r", rule), ("@since", since.ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds()));
            return since;
        }, cancellationToken);

    /// <summary>The rule's condition no longer holds: its next <c>For</c> starts from scratch.</summary>
    public Task ClearedAsync(string rule, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM radiator_alert_rule_pending WHERE rule = @r", tx, cancellationToken, ("@r", rule)), cancellationToken);

    /// <summary>Records a failure of <paramref name="source"/>: starts an outage at <paramref name="now"/> unless one is open, and returns the open one.</summary>
    public Task<(DateTimeOffset Since, bool Noticed)> FailedAsync(string source, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("INSERT INTO radiator_alert_source_outages (source, since) VALUES (@s, @now) ON CONFLICT (source) DO NOTHING",
                transaction, cancellationToken, ("@s", source), ("@now", now.ToUnixTimeMilliseconds()));
            var open = await connection.QueryAsync("SELECT since, noticed FROM radiator_alert_source_outages WHERE source = @s", transaction,
                r => (r.GetTimestamp(0), r.GetInt64(1) != 0), cancellationToken, ("@s", source));
            return open[0];
        }, cancellationToken);

    /// <summary>The outage's "degraded" notice is in the outbox: never queue it again, however long the outage lasts.</summary>
    public Task NoticedAsync(string source, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE radiator_alert_source_outages SET noticed = 1 WHERE source = @s AND since = @since", tx, cancellationToken,
            ("@s", source), ("@since", since.ToUnixTimeMilliseconds())), cancellationToken);

    /// <summary>The start of <paramref name="source"/>'s open outage, or null when it is healthy.</summary>
    public Task<DateTimeOffset?> OutageAsync(string source, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var open = await connection.QueryAsync<DateTimeOffset?>("SELECT since FROM radiator_alert_source_outages WHERE source = @s", null,
                r => r.GetTimestamp(0), cancellationToken, ("@s", source));
            return open.Count == 0 ? null : open[0];
        }, cancellationToken);

    /// <summary>Closes the outage that started at <paramref name="since"/> (after its "recovered" notice is queued).</summary>
    public Task EndOutageAsync(string source, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM radiator_alert_source_outages WHERE source = @s AND since = @since", tx, cancellationToken,
            ("@s", source), ("@since", since.ToUnixTimeMilliseconds())), cancellationToken);
}
