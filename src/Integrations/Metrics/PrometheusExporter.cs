using System.Diagnostics.Metrics;
using System.Text;

namespace ChatOps.Integrations.Metrics;

/// <summary>
/// Renders this host's <see cref="System.Diagnostics.Metrics"/> instruments in the Prometheus text format for
/// <c>/metrics</c>. It listens only to meters created by the host's own <see cref="IMeterFactory"/> whose
/// name starts with <see cref="MeterPrefix"/>, so two hosts in one process (as in tests) never see each
/// other's figures. Counters and up-down counters add up what they are given; gauges keep the last value;
/// observable instruments report afresh at each scrape, after every <see cref="IMetricsRefresher"/> ran.
/// Histograms are not exported: no area records one.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Our meters are named <c>ChatOps.{Area}</c>.</summary>
    public const string MeterPrefix = "ChatOps.";

    private readonly MeterListener _listener = new();
    private readonly IReadOnlyList<IMetricsRefresher> _refreshers;
    private readonly Lock _lock = new();
    private readonly List<InstrumentSeries> _instruments = [];
    private readonly SemaphoreSlim _scrape = new(1, 1);

    public PrometheusExporter(IMeterFactory meterFactory, IEnumerable<IMetricsRefresher> refreshers)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(refreshers);
        _refreshers = [.. refreshers];
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope != meterFactory || !instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal)
                || InstrumentSeries.TypeOf(instrument) is not { } type)
            {
                return;
            }

            var series = new InstrumentSeries(instrument, type);
            lock (_lock)
            {
                _instruments.Add(series);
            }

            listener.EnableMeasurementEvents(instrument, series);
        };
        _listener.MeasurementsCompleted = (instrument, state) =>
        {
            lock (_lock)
            {
                _instruments.Remove((InstrumentSeries)state!);
            }
        };
        _listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<short>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => Record(state, (double)value, tags));
        _listener.Start();
    }

    /// <summary>Every exported instrument with its HELP and TYPE lines, in the order the instruments were created.</summary>
    public async Task<string> ScrapeAsync(CancellationToken cancellationToken)
    {
        // One scrape at a time: observable series are cleared and refilled in place.
        await _scrape.WaitAsync(cancellationToken);
        try
        {
            foreach (var refresher in _refreshers)
            {
                await refresher.RefreshAsync(cancellationToken);
            }

            lock (_lock)
            {
                foreach (var instrument in _instruments.Where(i => i.Instrument.IsObservable))
                {
                    instrument.Clear();
                }
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            lock (_lock)
            {
                var written = new HashSet<string>(StringComparer.Ordinal);
                foreach (var instrument in _instruments)
                {
                    // A name exposed twice would make the whole scrape invalid; the first instrument keeps it.
                    if (written.Add(instrument.Name))
                    {
                        instrument.WriteTo(text);
                    }
                }
            }

            return text.ToString();
        }
        finally
        {
            _scrape.Release();
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _scrape.Dispose();
    }

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = PrometheusText.Labels(tags);
        lock (_lock)
        {
            ((InstrumentSeries)state!).Record(labels, value);
        }
    }
}
