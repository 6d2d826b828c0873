using System.Diagnostics.Metrics;
using ChatOps.Integrations.Metrics;

namespace ChatOps.Integrations.Chat.Inbox;

/// <summary>
/// The <c>ChatOps.Inbox</c> meter: commands and button presses waiting for their turn, being handled, and how long the
/// oldest has waited, the signs of a bot falling behind. Read from the inbox table once before each scrape.
/// </summary>
internal sealed class InboxMeter : IMetricsRefresher
{
    public const string MeterName = "ChatOps.Inbox";

    private readonly InboxStore _store;
    private readonly TimeProvider _time;
    private InboxDepth _latest = new(0, 0, null);

    public InboxMeter(InboxStore store, TimeProvider time, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _store = store;
        _time = time;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("chatops_inbox_waiting", () => _latest.Waiting, description: "Deliveries kept and acknowledged, not yet started.");
        meter.CreateObservableGauge("chatops_inbox_running", () => _latest.Running, description: "Deliveries being handled.");
        meter.CreateObservableGauge("chatops_inbox_oldest_wait_seconds", OldestWait, unit: "s",
            description: "How long the oldest waiting delivery has waited; 0 when none waits.");
    }

    public async Task RefreshAsync(CancellationToken cancellationToken) => _latest = await _store.DepthAsync(cancellationToken);

    private double OldestWait() =>
        _latest.OldestWaitingSince is { } since ? Math.Round(Math.Max(0, (_time.GetUtcNow() - since).TotalSeconds), 3) : 0;
}
