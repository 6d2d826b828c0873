using System.Globalization;
using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Events;
using Humanizer;

namespace ChatOps.Radiator.Pulse;

public enum PulseOutcome
{
    /// <summary>Something moved beyond noise (or the pulse was asked for): post it.</summary>
    Post,

    /// <summary>Nothing moved beyond the KPI's noise threshold.</summary>
    Quiet,

    /// <summary>The newest event is older than the window: say "data late", never a false zero.</summary>
    Late,
}

/// <summary>What a pulse would say about one KPI, and the series behind its sparkline (one value per window; null where unknown).</summary>
public sealed record PulseReport(string Kpi, PulseOutcome Outcome, string Text, double? Value, double? ChangeFromPrevious, double? ChangeFromLastWeek, IReadOnlyList<double?> Series)
{
    /// <summary>How long each window of <see cref="Series"/> is.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>Turns measurements into one short human sentence. Pure: no clock, no I/O.</summary>
internal static class PulseFormatter
{
    /// <param name="kpi">The KPI.</param>
    /// <param name="series">Consecutive windows, oldest first; the last is the one reported (the whole minutes before now).</param>
    /// <param name="lastWeek">The same window one week earlier.</param>
    /// <param name="now">When the pulse is composed, to judge lateness.</param>
    /// <param name="culture">The language and number format; English when null.</param>
    /// <param name="inProgress">
    /// The window that began with the minute in progress: fresh data is never called late, and data that
    /// began this very minute is still given as a number.
    /// </param>
    public static PulseReport Compose(KpiOptions kpi, IReadOnlyList<Measurement> series, Measurement lastWeek, DateTimeOffset now, CultureInfo? culture = null, Measurement? inProgress = null)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(lastWeek);
        culture ??= CultureInfo.GetCultureInfo("en");
        // Windows before the first event are unknown, not zero: the sparkline shows them as missing.
        var firstWithData = series.ToList().FindIndex(m => m.Latest is not null);
        var values = series.Select((m, i) => firstWithData < 0 || i < firstWithData ? null : m.Value).ToList();
        var current = series[^1];
        var newest = new[] { series.Max(m => m.Latest), inProgress?.Latest }.Max();
        if (newest is null || newest < now - kpi.Window)
        {
            var span = series[^1].Window.To - series[0].Window.From;
            var late = newest is null
                ? $"{kpi.Name}: data late, no events in the last {span.Humanize(culture: culture)}."
                : $"{kpi.Name}: data late, the newest event is {(now - newest.Value).Humanize(precision: 1, culture: culture, minUnit: TimeUnit.Second)} old.";
            return new PulseReport(kpi.Name, PulseOutcome.Late, late, null, null, null, values) { Window = kpi.Window };
        }

        if (series.All(m => m.Latest is null) && inProgress is { FirstMinute: { } thisMinute })
        {
            // Data began this minute: the number so far, said as such, is worth more than "wait".
            var value = PerSecondSince(kpi, inProgress.Value, inProgress.Window.Length, now - thisMinute);
            return new PulseReport(kpi.Name, PulseOutcome.Quiet,
                $"{Headline(kpi, value, culture, Since(thisMinute))}, less than a minute of data.", value, null, null, values) { Window = kpi.Window };
        }

        if (IsFirstPartialWindow(series))
        {
            // Data began part-way through the window: give the number for what there is, and say how much that is.
            var began = current.FirstMinute!.Value;
            var covered = current.Window.To - began;
            var value = PerSecondSince(kpi, current.Value, current.Window.Length, covered);
            return new PulseReport(kpi.Name, PulseOutcome.Post,
                $"{Headline(kpi, value, culture, Since(began))}, {covered.Humanize(precision: 2, culture: culture)} of data.", value, null, null, values) { Window = kpi.Window };
        }

        // A previous window that held only part of its data (data began in it) is no baseline for a whole one.
        var previous = series.Count > 1 && !IsFirstPartialWindow(series.Take(series.Count - 1).ToList()) ? series[^2].Value : null;
        var fromPrevious = Change(current.Value, previous);
        var fromLastWeek = Change(current.Value, lastWeek.Value);
        var moved = (fromPrevious is null && current.Value != previous)
            || (fromPrevious is { } p && Math.Abs(p) >= kpi.NoiseThreshold)
            || (fromLastWeek is { } w && Math.Abs(w) >= kpi.NoiseThreshold);

        var text = Headline(kpi, current.Value, culture, since: null);
        var comparisons = new List<string>();
        if (fromLastWeek is { } week)
        {
            comparisons.Add(Compare(kpi, week, "this time last week"));
        }

        if (fromPrevious is { } prev)
        {
            comparisons.Add(Compare(kpi, prev, $"the previous {kpi.Window.Humanize(culture: culture)}"));
        }

        if (comparisons.Count > 0)
        {
            text += ", " + string.Join(" and ", comparisons);
        }

        return new PulseReport(kpi.Name, moved ? PulseOutcome.Post : PulseOutcome.Quiet, text + ".", current.Value, fromPrevious, fromLastWeek, values) { Window = kpi.Window };
    }

    /// <summary>The line under a pulse: what the number is, in words a business reader uses, and what the chart covers.</summary>
    /// <param name="kpi">The KPI.</param>
    /// <param name="chartWindows">How many windows the chart shows; null when there is no chart.</param>
    public static string Caption(KpiOptions kpi, int? chartWindows)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        var culture = CultureInfo.GetCultureInfo("en");
        var window = kpi.Window.Humanize(culture: culture);
        var what = kpi.Aggregation switch
        {
            KpiAggregation.Count => $"How many {kpi.Name} per {window}",
            KpiAggregation.Sum => $"Total {kpi.Name} per {window}",
            KpiAggregation.Rate => $"{kpi.Name.Transform(To.SentenceCase)} per second, averaged over each {window}",
            KpiAggregation.Avg => $"Average {kpi.Name} per {window}",
            KpiAggregation.P95 => $"The {kpi.Name} that 95% stay within, per {window}",
            _ => throw new ArgumentOutOfRangeException(nameof(kpi), kpi.Aggregation, "Unknown aggregation."),
        };
        return chartWindows is { } count ? $"{what}; the chart shows the last {(kpi.Window * count).Humanize(culture: culture)}." : $"{what}.";
    }

    /// <summary>The chart in words, for readers and platforms that cannot see it.</summary>
    public static string Describe(PulseReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var culture = CultureInfo.GetCultureInfo("en");
        var present = report.Series.OfType<double>().ToList();
        var head = $"{report.Kpi}, one bar per {report.Window.Humanize(culture: culture)} over the last {(report.Window * report.Series.Count).Humanize(culture: culture)}";
        return present.Count == 0
            ? $"{head}: no data."
            : $"{head}: lowest {Number(present.Min(), culture)}, highest {Number(present.Max(), culture)}, latest {(report.Series[^1] is { } last ? Number(last, culture) : "missing")}.";
    }

    /// <summary>Numbers as people say them: "12.4 thousand", "1,020", "3.5".</summary>
    public static string Number(double value, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        if (Math.Abs(value) >= 10_000)
        {
            var previous = CultureInfo.CurrentCulture;
            try
            {
                // Humanizer formats with the current culture; keep it to the one asked for.
                CultureInfo.CurrentCulture = culture;
                return value.ToMetric(MetricNumeralFormats.UseShortScaleWord | MetricNumeralFormats.WithSpace, decimals: 1);
            }
            finally
            {
                CultureInfo.CurrentCulture = previous;
            }
        }

        return value.ToString(Math.Abs(value) >= 100 || value == Math.Floor(value) ? "#,0" : "0.#", culture);
    }

    /// <param name="kpi">The KPI.</param>
    /// <param name="value">Its value.</param>
    /// <param name="culture">The language and number format.</param>
    /// <param name="since">"since …" when data covers less than the window; null for the whole window.</param>
    private static string Headline(KpiOptions kpi, double? value, CultureInfo culture, string? since)
    {
        var window = kpi.Window.Humanize(culture: culture);
        if (value is not { } v)
        {
            return since is null ? $"no {kpi.Name} values in the last {window}" : $"no {kpi.Name} values {since}";
        }

        var number = Number(v, culture);
        var withUnit = kpi.Unit is { Length: > 0 } unit ? $"{number} {unit}" : number;
        var over = since ?? $"over the last {window}";
        return kpi.Aggregation switch
        {
            KpiAggregation.Count or KpiAggregation.Sum => $"{number} {kpi.Name} {since ?? $"in the last {window}"}",
            KpiAggregation.Rate => $"{number} {kpi.Name} per second {over}",
            KpiAggregation.Avg => $"{kpi.Name.Transform(To.SentenceCase)} averaged {withUnit} {over}",
            KpiAggregation.P95 => $"95th percentile {kpi.Name} was {withUnit} {over}",
            _ => throw new ArgumentOutOfRangeException(nameof(kpi), kpi.Aggregation, "Unknown aggregation."),
        };
    }

    private static string Since(DateTimeOffset began) => $"since {ChatTime.Mark(began)}";

    /// <summary>A rate is per second of the window; when data covers only part of it, per second of that part.</summary>
    private static double? PerSecondSince(KpiOptions kpi, double? value, TimeSpan window, TimeSpan covered) =>
        kpi.Aggregation == KpiAggregation.Rate && value is { } v && covered > TimeSpan.Zero ? v * window.TotalSeconds / covered.TotalSeconds : value;

    private static string Compare(KpiOptions kpi, double percent, string baseline)
    {
        var rounded = Math.Round(Math.Abs(percent));
        if (rounded == 0)
        {
            return $"about the same as {baseline}";
        }

        var counted = kpi.Aggregation is KpiAggregation.Count or KpiAggregation.Sum;
        var direction = percent > 0 ? (counted ? "more" : "higher") : (counted ? "fewer" : "lower");
        return $"{rounded.ToString("0", CultureInfo.InvariantCulture)}% {direction} than {baseline}";
    }

    /// <summary>
    /// Nothing in any earlier window, and the reported one began part-way through: data has only just
    /// started (a fresh start), so its number covers less than the window it would claim to.
    /// </summary>
    private static bool IsFirstPartialWindow(IReadOnlyList<Measurement> series) =>
        series.Count > 1
        && series.Take(series.Count - 1).All(m => m.Latest is null)
        && series[^1].FirstMinute > series[^1].Window.From;

    /// <summary>Percentage change; null when there is no baseline to compare with.</summary>
    private static double? Change(double? current, double? baseline) =>
        current is { } c && baseline is { } b && b != 0 ? (c - b) / Math.Abs(b) * 100 : null;
}
