using System.Diagnostics.Metrics;
using ChatOps.Integrations.Metrics;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// The <c>ChatOps.Alerts</c> meter: open alerts by status, the oldest unacknowledged, and each source's
/// health and lag. Open alerts are counted by the store before each scrape (<see cref="RefreshAsync"/>);
/// source health is in memory.
/// </summary>
internal sealed class AlertMetrics : IMetricsRefresher
{
    public const string MeterName = "ChatOps.Alerts";

    private readonly AlertStore _store;
    private readonly AlertSourceHealth _health;
    private readonly TimeProvider _time;
    private AlertCensus _open = new(0, 0, null);

    public AlertMetrics(AlertStore store, AlertSourceHealth health, TimeProvider time, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _store = store;
        _health = health;
        _time = time;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("chatops_alerts_open", () => new[]
            {
                new Measurement<long>(_open.Firing, new KeyValuePair<string, object?>("status", "firing")),
                new Measurement<long>(_open.Acknowledged, new KeyValuePair<string, object?>("status", "acknowledged")),
            },
            description: "Open alerts, by status.");
        meter.CreateObservableGauge("chatops_alert_oldest_unacknowledged_seconds", OldestUnacknowledged, unit: "s",
            description: "Age of the oldest firing alert nobody acknowledged; 0 when none.");
        meter.CreateObservableGauge("chatops_alert_source_up", () => Sources(s => s.Up ? 1 : 0), description: "1 while the alert source answers, 0 while it fails.");
        meter.CreateObservableCounter("chatops_alert_source_failures", () => Sources(s => s.Failures), description: "Failed reads of the alert source since start.");
        meter.CreateObservableGauge("chatops_alert_source_lag_seconds", () => Sources(s => s.Lag), unit: "s",
            description: "Time since the last complete read of the alert source.");
        meter.CreateObservableGauge("chatops_alert_source_newest_age_seconds", () => Sources(s => s.NewestAge), unit: "s",
            description: "Age of the newest alert read from the source.");
    }

    public async Task RefreshAsync(CancellationToken cancellationToken) => _open = await _store.CensusAsync(cancellationToken);

    private double OldestUnacknowledged()
    {
        var oldest = _open.OldestFiringSince is { } since ? (_time.GetUtcNow() - since).TotalSeconds : 0;
        return Math.Round(Math.Max(0, oldest), 3);
    }

    private IEnumerable<Measurement<double>> Sources(Func<AlertSourceStatus, double> value) =>
        _health.Snapshot().Select(s => new Measurement<double>(value(s), Tag(s)));

    /// <summary>A source that never read completely (or read nothing) has no lag (or newest age) yet, so it reports no series.</summary>
    private IEnumerable<Measurement<double>> Sources(Func<AlertSourceStatus, TimeSpan?> age) =>
        _health.Snapshot().Where(s => age(s) is not null).Select(s => new Measurement<double>(Math.Round(age(s)!.Value.TotalSeconds, 3), Tag(s)));

    private static KeyValuePair<string, object?> Tag(AlertSourceStatus source) => new("source", source.Source);
}
