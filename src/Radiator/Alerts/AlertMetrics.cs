using System.Globalization;
using System.Text;

namespace ChatOps.Radiator.Alerts;

/// <summary>Alert lines for <c>/metrics</c>: open alerts by status, the oldest unacknowledged, and each source's health and lag.</summary>
public sealed class AlertMetrics(AlertStore store, AlertSourceHealth health, TimeProvider time)
{
    public async Task<string> WritePrometheusAsync(CancellationToken cancellationToken)
    {
        var open = await store.OpenAsync(cancellationToken);
        var now = time.GetUtcNow();
        var text = new StringBuilder();
        foreach (var status in (AlertStatus[])[AlertStatus.Firing, AlertStatus.Acknowledged])
        {
            text.Append(CultureInfo.InvariantCulture, $"chatops_alerts_open{{status=\"{status.ToString().ToLowerInvariant()}\"}} {open.Count(a => a.Status == status)}\n");
        }

        var oldest = open.Where(a => a.Status == AlertStatus.Firing).Select(a => (now - a.StartsAt).TotalSeconds).DefaultIfEmpty(0).Max();
        text.Append(CultureInfo.InvariantCulture, $"chatops_alert_oldest_unacknowledged_seconds {Math.Max(0, oldest):0.###}\n");
        health.WritePrometheus(text);
        return text.ToString();
    }
}
