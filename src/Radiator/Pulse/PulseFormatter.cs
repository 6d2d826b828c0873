using System.Globalization;
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

/// <summary>What a pulse would say about one KPI, and the series behind its sparkline.</summary>
public sealed record PulseReport(string Kpi, PulseOutcome Outcome, string Text, double? Value, double? ChangeFromPrevious, double? ChangeFromLastWeek, IReadOnlyList<double?> Series);

/// <summary>Turns measurements into one short human sentence. Pure: no clock, no I/O.</summary>
public static class PulseFormatter
{
    /// <param name="kpi">The KPI.</param>
    /// <param name="series">Consecutive windows, oldest first; the last is the one reported.</param>
    /// <param name="lastWeek">The same window one week earlier.</param>
    /// <param name="now">When the pulse is composed, to judge lateness.</param>
    /// <param name="culture">The language and number format; English when null.</param>
    /// <param name="newestInProgress">The newest event in the window still in progress, so fresh data is never called late.</param>
    public static PulseReport Compose(KpiOptions kpi, IReadOnlyList<Measurement> series, Measurement lastWeek, DateTimeOffset now, CultureInfo? culture = null, DateTimeOffset? newestInProgress = null)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(lastWeek);
        culture ??= CultureInfo.GetCultureInfo("en");
        var values = series.Select(m => m.Value).ToList();
        var current = series[^1];
        var newest = new[] { series.Max(m => m.Latest), newestInProgress }.Max();
        if (newest is null || newest < now - kpi.Window)
        {
            var span = series[^1].Window.To - series[0].Window.From;
            var late = newest is null
                ? $"{kpi.Name}: data late, no events in the last {span.Humanize(culture: culture)}."
                : $"{kpi.Name}: data late, the newest event is {(now - newest.Value).Humanize(precision: 1, culture: culture, minUnit: Humanizer.Localisation.TimeUnit.Second)} old.";
            return new PulseReport(kpi.Name, PulseOutcome.Late, late, null, null, null, values);
        }

        if (series.All(m => m.Latest is null) || IsFirstPartialWindow(series))
        {
            // Data arrives but no full window has it yet (a fresh start): not late, and not zero either.
            var completes = series[^1].Window.To + kpi.Window - now;
            return new PulseReport(kpi.Name, PulseOutcome.Quiet,
                $"{kpi.Name}: collecting, the first full {WindowAdjective(kpi.Window)} window completes in {completes.Humanize(precision: 1, culture: culture, minUnit: Humanizer.Localisation.TimeUnit.Second)}.",
                null, null, null, values);
        }

        var previous = series.Count > 1 ? series[^2].Value : null;
        var fromPrevious = Change(current.Value, previous);
        var fromLastWeek = Change(current.Value, lastWeek.Value);
        var moved = (fromPrevious is null && current.Value != previous)
            || (fromPrevious is { } p && Math.Abs(p) >= kpi.NoiseThreshold)
            || (fromLastWeek is { } w && Math.Abs(w) >= kpi.NoiseThreshold);

        var text = Headline(kpi, current.Value, culture);
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

        return new PulseReport(kpi.Name, moved ? PulseOutcome.Post : PulseOutcome.Quiet, text + ".", current.Value, fromPrevious, fromLastWeek, values);
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

    private static string Headline(KpiOptions kpi, double? value, CultureInfo culture)
    {
        var window = kpi.Window.Humanize(culture: culture);
        if (value is not { } v)
        {
            return $"no {kpi.Name} values in the last {window}";
        }

        var number = Number(v, culture);
        var withUnit = kpi.Unit is { Length: > 0 } unit ? $"{number} {unit}" : number;
        return kpi.Aggregation switch
        {
            KpiAggregation.Count or KpiAggregation.Sum => $"{number} {kpi.Name} in the last {window}",
            KpiAggregation.Rate => $"{number} {kpi.Name} per second over the last {window}",
            KpiAggregation.Avg => $"{kpi.Name.Transform(To.SentenceCase)} averaged {withUnit} over the last {window}",
            KpiAggregation.P95 => $"95th percentile {kpi.Name} was {withUnit} over the last {window}",
            _ => throw new ArgumentOutOfRangeException(nameof(kpi), kpi.Aggregation, "Unknown aggregation."),
        };
    }

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

    /// <summary>"5-minute", "1-hour": a window's length as an adjective.</summary>
    private static string WindowAdjective(TimeSpan window) =>
        window.TotalMinutes < 60 ? $"{window.TotalMinutes:0}-minute" : $"{window.TotalHours:0.#}-hour";
}
