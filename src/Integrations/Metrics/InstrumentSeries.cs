using System.Diagnostics.Metrics;
using System.Text;

namespace ChatOps.Integrations.Metrics;

/// <summary>What <see cref="PrometheusExporter"/> holds for one instrument: its exposed name and type, and a value per label set.</summary>
internal sealed class InstrumentSeries(Instrument instrument, string type)
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    /// <summary>
    /// Push counters add up (an up-down counter's sum may fall); a gauge, and every observable instrument,
    /// which reports its whole value at each scrape, keeps the last value.
    /// </summary>
    private readonly bool _adds = !instrument.IsObservable
        && instrument.GetType().GetGenericTypeDefinition() is var definition
        && (definition == typeof(Counter<>) || definition == typeof(UpDownCounter<>));

    public Instrument Instrument { get; } = instrument;

    public string Name { get; } = type == "counter" ? PrometheusText.CounterName(instrument.Name) : PrometheusText.MetricName(instrument.Name);

    /// <summary>The Prometheus type of an instrument, or null for one that is not exported.</summary>
    public static string? TypeOf(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        return definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? "counter"
            : definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>)
              || definition == typeof(UpDownCounter<>) || definition == typeof(ObservableUpDownCounter<>) ? "gauge"
            : null;
    }

    public void Record(string labels, double value)
    {
        if (_values.TryGetValue(labels, out var current))
        {
            _values[labels] = _adds ? current + value : value;
            return;
        }

        _order.Add(labels);
        _values[labels] = value;
    }

    public void Clear()
    {
        _order.Clear();
        _values.Clear();
    }

    public void WriteTo(StringBuilder text)
    {
        if (!string.IsNullOrEmpty(Instrument.Description))
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusText.EscapeHelp(Instrument.Description)).Append('\n');
        }

        text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
        foreach (var labels in _order)
        {
            text.Append(Name).Append(labels).Append(' ').Append(PrometheusText.Value(_values[labels])).Append('\n');
        }
    }
}
