using System.Diagnostics.Metrics;
using ChatOps.Integrations.Metrics;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// The <c>ChatOps.Outbox</c> meter: depth, oldest age and failures per destination, as gauges. The figures
/// come from the outbox tables, so they are read once before each scrape (<see cref="RefreshAsync"/>) and the
/// gauges report that reading.
/// </summary>
internal sealed class OutboxMeter : IMetricsRefresher
{
    public const string MeterName = "ChatOps.Outbox";

    private readonly OutboxMetrics _metrics;
    private IReadOnlyList<OutboxDestinationMetrics> _latest = [];

    public OutboxMeter(OutboxMetrics metrics, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _metrics = metrics;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("chatops_outbox_depth", () => Observe(m => m.Depth), description: "Messages waiting to be sent, per destination.");
        meter.CreateObservableGauge("chatops_outbox_oldest_age_seconds", () => Observe(m => Math.Round(m.OldestAge.TotalSeconds, 3)), unit: "s",
            description: "Age of the oldest waiting message, per destination.");
        meter.CreateObservableGauge("chatops_outbox_failed", () => Observe(m => m.Failed), description: "Messages given up on after their last attempt, per destination.");
    }

    public async Task RefreshAsync(CancellationToken cancellationToken) => _latest = await _metrics.CollectAsync(cancellationToken);

    private IEnumerable<Measurement<double>> Observe(Func<OutboxDestinationMetrics, double> value) =>
        _latest.Select(m => new Measurement<double>(value(m), new KeyValuePair<string, object?>("destination", m.Destination.ToString())));
}
