using System.ComponentModel.DataAnnotations;
using ChatOps.Radiator.Events;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Pulse;

/// <summary>The pulse: which KPIs, how often, and where they are posted.</summary>
public sealed class PulseOptions
{
    public const string SectionName = "Radiator:Pulse";

    /// <summary>Whether pulses are posted on their schedule (<c>/pulse</c> works either way). <value>Default: true.</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often KPIs are checked for being due. <value>Default: 1 minute.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Tick { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Destinations as <c>platform:channel</c>, for KPIs that name none, and for the degraded notice.
    /// <value>Default: <c>webchat:pulse</c> (applied when the list is empty).</value>
    /// </summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>
    /// How long one measurement may take before the source counts as down (slow is down for a pulse).
    /// <value>Default: 20 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SourceTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How many windows the sparkline shows. <value>Default: 12.</value></summary>
    [Range(2, 60)]
    public int SparklineWindows { get; set; } = 12;

    /// <summary>The KPIs. <value>Default: logins, viewers, votes, errors and p95 latency (applied when the list is empty).</value></summary>
    [ValidateEnumeratedItems]
    public List<KpiOptions> Kpis { get; set; } = [];

    internal static readonly string DefaultChannel = "webchat:pulse";

    internal static List<KpiOptions> DefaultKpis() =>
    [
        new() { Name = "logins", Key = "logins", Aggregation = KpiAggregation.Count },
        new() { Name = "viewers", Key = "viewers", Aggregation = KpiAggregation.Avg },
        new() { Name = "votes", Key = "votes", Aggregation = KpiAggregation.Sum },
        new() { Name = "errors", Key = "errors", Aggregation = KpiAggregation.Sum, NoiseThreshold = 20 },
        new() { Name = "latency", Key = "latency", Aggregation = KpiAggregation.P95, Unit = "ms", NoiseThreshold = 10 },
    ];
}

/// <summary>One KPI: what to measure, over which window, how often, and what counts as a real change.</summary>
public sealed class KpiOptions
{
    /// <summary>What the pulse calls it ("logins"). Unique.</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_\- ]{1,60}\z")]
    public string Name { get; set; } = "";

    /// <summary>The event key measured. <value>Default: <see cref="Name"/>.</value></summary>
    public string? Key { get; set; }

    /// <summary>On Elasticsearch, a query-string that selects the documents instead of the key. <value>Default: none.</value></summary>
    public string? Query { get; set; }

    /// <value>Default: <see cref="KpiAggregation.Count"/>.</value>
    public KpiAggregation Aggregation { get; set; } = KpiAggregation.Count;

    /// <summary>The window measured: whole minutes that divide a day. <value>Default: 5 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often it is posted; whole minutes. <value>Default: <see cref="Window"/>.</value></summary>
    public TimeSpan? Schedule { get; set; }

    /// <summary>Destinations as <c>platform:channel</c>. <value>Default: the pulse channels.</value></summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>Changes smaller than this percentage (against both comparisons) are noise: nothing is posted. <value>Default: 5.</value></summary>
    [Range(0, 1000)]
    public double NoiseThreshold { get; set; } = 5;

    /// <summary>A unit shown after averages and percentiles ("ms"). <value>Default: none.</value></summary>
    public string? Unit { get; set; }

    internal TimeSpan Every => Schedule ?? Window;

    internal KpiQuery ToQuery() => new(Key ?? Name, Aggregation) { Query = Query };
}

[OptionsValidator]
internal sealed partial class PulseOptionsDataValidator : IValidateOptions<PulseOptions>;

/// <summary>Rules DataAnnotations cannot say; collects every error before failing.</summary>
internal sealed class PulseOptionsValidator : IValidateOptions<PulseOptions>
{
    public ValidateOptionsResult Validate(string? name, PulseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        errors.AddRange(options.Channels.Where(c => !Destinations.TryParse(c, out _)).Select(c => $"Radiator:Pulse:Channels: '{c}' is not platform:channel."));
        foreach (var duplicate in options.Kpis.GroupBy(k => k.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"Radiator:Pulse:Kpis: the name '{duplicate.Key}' is used more than once.");
        }

        for (var i = 0; i < options.Kpis.Count; i++)
        {
            var kpi = options.Kpis[i];
            var where = $"Radiator:Pulse:Kpis:{i} ({kpi.Name})";
            if (kpi.Window.Ticks % TimeSpan.TicksPerMinute != 0 || kpi.Window <= TimeSpan.Zero || TimeSpan.FromDays(1).Ticks % kpi.Window.Ticks != 0)
            {
                errors.Add($"{where}: Window {kpi.Window} must be whole minutes that divide a day, so windows line up with last week's.");
            }

            if (kpi.Every.Ticks % TimeSpan.TicksPerMinute != 0 || kpi.Every <= TimeSpan.Zero)
            {
                errors.Add($"{where}: Schedule {kpi.Every} must be whole minutes.");
            }

            errors.AddRange(kpi.Channels.Where(c => !Destinations.TryParse(c, out _)).Select(c => $"{where}: channel '{c}' is not platform:channel."));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
