using ChatOps.Radiator.Events;

namespace ChatOps.Radiator.Tests.Events;

public sealed class TimeWindowTests
{
    [Fact]
    public void Before_NowPartWayThroughAMinute_EndsWithTheLastWholeMinute()
    {
        var now = new DateTimeOffset(2026, 12, 6, 16, 8, 30, TimeSpan.Zero);

        var windows = TimeWindow.Before(now, TimeSpan.FromMinutes(5), 3);

        Assert.Equal(new DateTimeOffset(2026, 12, 6, 16, 3, 0, TimeSpan.Zero), windows[^1].From);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 16, 8, 0, TimeSpan.Zero), windows[^1].To);
        Assert.Equal(windows[1].To, windows[2].From);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 15, 53, 0, TimeSpan.Zero), windows[0].From);
        Assert.All(windows, w => Assert.Equal(TimeSpan.FromMinutes(3), w.Offset));
    }

    [Fact]
    public async Task MeasureAsync_WindowsNotAWholeNumberOfLengthsApart_AreRefused()
    {
        using var t = TestStore.Create();
        var from = t.Time.GetUtcNow();

        await Assert.ThrowsAsync<ArgumentException>(() => t.Source.MeasureAsync(new KpiQuery("logins", KpiAggregation.Count),
            [new TimeWindow(from, TimeSpan.FromMinutes(5)), new TimeWindow(from.AddMinutes(7), TimeSpan.FromMinutes(5))], TestContext.Current.CancellationToken));
    }
}
