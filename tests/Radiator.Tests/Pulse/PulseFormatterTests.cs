using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Events;
using ChatOps.Radiator.Pulse;

namespace ChatOps.Radiator.Tests.Pulse;

public sealed class PulseFormatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 20, 5, 30, TimeSpan.Zero);
    private static readonly KpiOptions Logins = new() { Name = "logins", Key = "logins", Aggregation = KpiAggregation.Count };

    [Fact]
    public void Compose_CountAboveLastWeek_SaysValueAndBothChangesInWords()
    {
        var report = PulseFormatter.Compose(Logins, Series(11_000, 12_400), LastWeek(11_481), Now);

        Assert.Equal(PulseOutcome.Post, report.Outcome);
        Assert.Equal("12.4 thousand logins in the last 5 minutes, 8% more than this time last week and 13% more than the previous 5 minutes.", report.Text);
        Assert.Equal(12_400, report.Value);
    }

    [Fact]
    public void Compose_ChangesWithinNoise_IsQuiet()
    {
        var report = PulseFormatter.Compose(Logins, Series(1000, 1020), LastWeek(990), Now);

        Assert.Equal(PulseOutcome.Quiet, report.Outcome);
        Assert.Contains("1,020 logins", report.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_DropBeyondNoise_SaysFewer()
    {
        var report = PulseFormatter.Compose(Logins, Series(1000, 800), LastWeek(1000), Now);

        Assert.Equal(PulseOutcome.Post, report.Outcome);
        Assert.Equal("800 logins in the last 5 minutes, 20% fewer than this time last week and 20% fewer than the previous 5 minutes.", report.Text);
    }

    [Fact]
    public void Compose_PercentileWithUnit_SaysHigherOrLower()
    {
        var latency = new KpiOptions { Name = "latency", Aggregation = KpiAggregation.P95, Unit = "ms" };

        var report = PulseFormatter.Compose(latency, Series(200, 250), LastWeek(null), Now);

        Assert.Equal("95th percentile latency was 250 ms over the last 5 minutes, 25% higher than the previous 5 minutes.", report.Text);
    }

    [Fact]
    public void Compose_NewestEventOlderThanWindow_SaysDataLateNotZero()
    {
        var series = Series(1000, 0);
        series[^2] = series[^2] with { Latest = Now.AddMinutes(-9) };
        series[^1] = series[^1] with { Count = 0, Latest = null };

        var report = PulseFormatter.Compose(Logins, series, LastWeek(1000), Now);

        Assert.Equal(PulseOutcome.Late, report.Outcome);
        Assert.Equal("logins: data late, the newest event is 9 minutes old.", report.Text);
        Assert.DoesNotContain(" 0 ", report.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_NoEventsAtAll_SaysDataLate()
    {
        var series = TimeWindow.Before(Now, TimeSpan.FromMinutes(5), 12).Select(w => new Measurement(w, 0, 0, null)).ToList();

        var report = PulseFormatter.Compose(Logins, series, LastWeek(null), Now);

        Assert.Equal(PulseOutcome.Late, report.Outcome);
        Assert.Equal("logins: data late, no events in the last 1 hour.", report.Text);
    }

    [Fact]
    public void Compose_DataOnlyInTheMinuteInProgress_GivesTheNumberSoFar()
    {
        var windows = TimeWindow.Before(Now, TimeSpan.FromMinutes(5), 12);
        var series = windows.Select(w => new Measurement(w, 0, 0, null)).ToList();
        var inProgress = new Measurement(new TimeWindow(windows[^1].To, TimeSpan.FromMinutes(5)), 240, 240, Now.AddSeconds(-10), windows[^1].To);

        var report = PulseFormatter.Compose(Logins, series, LastWeek(null), Now, inProgress: inProgress);

        Assert.Equal(PulseOutcome.Quiet, report.Outcome);
        Assert.Equal("240 logins since 2026-11-22 20:05 UTC, less than a minute of data.", ChatTime.Plain(report.Text));
        Assert.Equal(240, report.Value);
    }

    [Fact]
    public void Compose_DataBeganPartWayThroughTheWindow_GivesTheNumberAndHowMuchDataItCovers()
    {
        var windows = TimeWindow.Before(Now, TimeSpan.FromMinutes(5), 12);
        var series = windows.Select(w => new Measurement(w, 0, 0, null)).ToList();
        series[^1] = new Measurement(windows[^1], 12_345, 12_345, windows[^1].To.AddSeconds(-1), windows[^1].From.AddMinutes(2));

        var report = PulseFormatter.Compose(Logins, series, LastWeek(1000), Now, inProgress: Idle(windows[^1]));

        Assert.Equal(PulseOutcome.Post, report.Outcome);
        Assert.Equal("12.3 thousand logins since 2026-11-22 20:02 UTC, 3 minutes of data.", ChatTime.Plain(report.Text));
        Assert.Equal([new DateTimeOffset(2026, 11, 22, 20, 2, 0, TimeSpan.Zero)], ChatTime.Find(report.Text).Select(t => t.At));
        Assert.Equal(12_345, report.Value);
    }

    [Fact]
    public void Compose_PreviousWindowHeldOnlyPartOfItsData_IsNotComparedWith()
    {
        var windows = TimeWindow.Before(Now, TimeSpan.FromMinutes(5), 12);
        var series = windows.Select(w => new Measurement(w, 0, 0, null)).ToList();
        series[^2] = new Measurement(windows[^2], 300, 300, windows[^2].To.AddSeconds(-1), windows[^2].From.AddMinutes(3));
        series[^1] = new Measurement(windows[^1], 750, 750, windows[^1].To.AddSeconds(-1), windows[^1].From);

        var report = PulseFormatter.Compose(Logins, series, LastWeek(null), Now, inProgress: Idle(windows[^1]));

        Assert.Equal(PulseOutcome.Post, report.Outcome);
        Assert.Equal("750 logins in the last 5 minutes.", report.Text);
        Assert.Null(report.ChangeFromPrevious);
    }

    [Fact]
    public void Compose_RateOverPartOfTheWindow_IsPerSecondOfThatPart()
    {
        var rate = new KpiOptions { Name = "logins", Aggregation = KpiAggregation.Rate };
        var windows = TimeWindow.Before(Now, TimeSpan.FromMinutes(5), 12);
        var series = windows.Select(w => new Measurement(w, 0, 0, null)).ToList();
        // 360 events over 3 minutes is 2 per second; the source divides by the whole window (1.2).
        series[^1] = new Measurement(windows[^1], 360, 360 / 300.0, windows[^1].To.AddSeconds(-1), windows[^1].From.AddMinutes(2));

        var report = PulseFormatter.Compose(rate, series, LastWeek(null), Now, inProgress: Idle(windows[^1]));

        Assert.Equal(2, report.Value!.Value, 6);
    }

    [Fact]
    public void Compose_WindowsBeforeTheFirstEvent_AreMissingInTheSeriesNotZero()
    {
        var windows = TimeWindow.Before(Now, TimeSpan.FromMinutes(5), 12);
        var series = windows.Select(w => new Measurement(w, 0, 0, null)).ToList();
        series[^2] = new Measurement(windows[^2], 10, 10, windows[^2].To.AddSeconds(-1), windows[^2].From);
        series[^1] = new Measurement(windows[^1], 0, 0, null);

        var report = PulseFormatter.Compose(Logins, series, LastWeek(null), Now, inProgress: Idle(windows[^1]) with { Latest = Now.AddSeconds(-1) });

        Assert.All(report.Series.Take(10), v => Assert.Null(v));
        Assert.Equal([10, 0], report.Series.Skip(10));
    }

    [Fact]
    public void Caption_SaysWhatTheNumberIsInPlainWordsAndNotWhereItIsStored()
    {
        Assert.Equal("How many logins per 5 minutes; the chart shows the last 1 hour.", PulseFormatter.Caption(Logins, 12));
        Assert.DoesNotContain("embedded", PulseFormatter.Caption(new KpiOptions { Name = "latency", Aggregation = KpiAggregation.P95 }, 12), StringComparison.Ordinal);
        Assert.Equal("How many logins per 5 minutes.", PulseFormatter.Caption(Logins, chartWindows: null));
    }

    [Fact]
    public void Compose_QuietHistoryThenAFullWindow_ReportsTheWindow()
    {
        var windows = TimeWindow.Before(Now, TimeSpan.FromMinutes(5), 12);
        var series = windows.Select(w => new Measurement(w, 0, 0, null)).ToList();
        series[^1] = new Measurement(windows[^1], 40, 40, windows[^1].To.AddSeconds(-1), windows[^1].From);

        var report = PulseFormatter.Compose(Logins, series, LastWeek(10), Now);

        Assert.Equal(PulseOutcome.Post, report.Outcome);
        Assert.StartsWith("40 logins in the last 5 minutes", report.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_FreshDataInProgress_KeepsAnOldSeriesFromBeingLate()
    {
        var series = Series(1000, 1010);
        series[^1] = series[^1] with { Latest = Now.AddMinutes(-6) };

        var late = PulseFormatter.Compose(Logins, series, LastWeek(1000), Now);
        var fresh = PulseFormatter.Compose(Logins, series, LastWeek(1000), Now, inProgress: Idle(series[^1].Window) with { Latest = Now.AddSeconds(-5) });

        Assert.Equal(PulseOutcome.Late, late.Outcome);
        Assert.NotEqual(PulseOutcome.Late, fresh.Outcome);
    }

    [Theory]
    [InlineData(12_400, "12.4 thousand")]
    [InlineData(1_260_000, "1.3 million")]
    [InlineData(4_321, "4,321")]
    [InlineData(231, "231")]
    [InlineData(3.25, "3.3")]
    [InlineData(0, "0")]
    public void Number_InEnglish_ReadsAsPeopleSayIt(double value, string expected) =>
        Assert.Equal(expected, PulseFormatter.Number(value, System.Globalization.CultureInfo.GetCultureInfo("en")));

    private static List<Measurement> Series(double previous, double current)
    {
        var windows = TimeWindow.Before(Now, TimeSpan.FromMinutes(5), 12);
        return [.. windows.Select((w, i) => new Measurement(w, 10, i == windows.Count - 1 ? current : previous, w.To.AddSeconds(-1)))];
    }

    private static Measurement Idle(TimeWindow last) => new(new TimeWindow(last.To, last.Length), 0, 0, null);

    private static Measurement LastWeek(double? value)
    {
        var window = TimeWindow.Before(Now.AddDays(-7), TimeSpan.FromMinutes(5), 1)[0];
        return new Measurement(window, value is null ? 0 : 10, value, value is null ? null : window.To.AddSeconds(-1));
    }
}
