using ChatOps.Radiator.Events;

namespace ChatOps.Radiator.Alerts;

public enum AlertRuleKind
{
    /// <summary>The last window's value is above <see cref="AlertRuleOptions.Above"/> or below <see cref="AlertRuleOptions.Below"/>.</summary>
    Threshold,

    /// <summary>The last window's value is at least <see cref="AlertRuleOptions.Factor"/> times the mean of the reference windows before it.</summary>
    Spike,

    /// <summary>The last window holds no events at all.</summary>
    Flatline,
}

/// <summary>One of the radiator's own rules over the event source (<c>Radiator:Alerts:Rules:N</c>).</summary>
public sealed class AlertRuleOptions
{
    public string Name { get; set; } = "";

    public AlertRuleKind Kind { get; set; } = AlertRuleKind.Threshold;

    /// <summary>The event key measured.</summary>
    public string Key { get; set; } = "";

    /// <summary>On Elasticsearch, a query string replacing the key.</summary>
    public string? Query { get; set; }

    /// <value>Default: Count.</value>
    public KpiAggregation Aggregation { get; set; } = KpiAggregation.Count;

    /// <summary>The window measured; must divide a day. <value>Default: 1 minute.</value></summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public double? Above { get; set; }

    public double? Below { get; set; }

    /// <summary>Spike: how many times the reference. <value>Default: 3.</value></summary>
    public double Factor { get; set; } = 3;

    /// <summary>Spike: how many windows before the last one make the reference. <value>Default: 10.</value></summary>
    public int ReferenceWindows { get; set; } = 10;

    /// <summary>How long the condition must hold before the alert fires. <value>Default: 0.</value></summary>
    public TimeSpan For { get; set; }

    /// <value>Default: warning.</value>
    public string Severity { get; set; } = "warning";

    /// <summary>Extra labels (environment, team) for routing and grouping.</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
}
