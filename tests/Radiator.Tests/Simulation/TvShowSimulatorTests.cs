using ChatOps.Radiator.Events;
using ChatOps.Radiator.Simulation;
using ChatOps.TestCommon;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Tests.Simulation;

public sealed class TvShowSimulatorTests
{
    private static readonly DateTimeOffset ShowTime = new(2026, 11, 22, 19, 40, 0, TimeSpan.Zero);

    [Fact]
    public void Generate_SameSeedAndPeriod_GivesSameEventsHoweverTheCallsAreSplit()
    {
        var sut = new TvShowSimulator(new SimulatorOptions { Seed = 7 });

        var whole = sut.Generate(ShowTime, ShowTime.AddMinutes(1));
        var halves = sut.Generate(ShowTime, ShowTime.AddSeconds(30)).Concat(sut.Generate(ShowTime.AddSeconds(30), ShowTime.AddMinutes(1))).ToList();

        Assert.NotEmpty(whole);
        Assert.Equal(whole.Select(Describe), halves.Select(Describe));
    }

    [Fact]
    public void Generate_TicksWithFractionalBoundaries_CoverEverySecondOnce()
    {
        // The service calls Generate(last, now) with whatever milliseconds the clock shows.
        var sut = new TvShowSimulator(new SimulatorOptions { Seed = 3 });
        var start = ShowTime.AddMilliseconds(345);
        var whole = sut.Generate(start, start.AddSeconds(60));
        var pieces = Enumerable.Range(0, 12)
            .SelectMany(i => sut.Generate(start.AddSeconds(5 * i).AddMilliseconds(i), start.AddSeconds(5 * (i + 1)).AddMilliseconds(i + 1 == 12 ? 0 : i + 1)))
            .ToList();

        var errorsPerSecond = pieces.Where(e => e.Key == "errors").GroupBy(e => e.Timestamp).ToList();
        Assert.Equal(60, errorsPerSecond.Count);
        Assert.All(errorsPerSecond, g => Assert.Single(g));
        Assert.Equal(6, pieces.Count(e => e.Key == "viewers"));
        Assert.Equal(whole.Count, pieces.Count);
    }

    [Fact]
    public void Generate_OtherSeed_GivesOtherEvents()
    {
        var a = new TvShowSimulator(new SimulatorOptions { Seed = 1 }).Generate(ShowTime, ShowTime.AddMinutes(1));
        var b = new TvShowSimulator(new SimulatorOptions { Seed = 2 }).Generate(ShowTime, ShowTime.AddMinutes(1));

        Assert.NotEqual(a.Select(Describe), b.Select(Describe));
    }

    [Fact]
    public void Generate_DuringShow_HasAllKpiKeysAndMoreLoginsThanOffAir()
    {
        var sut = new TvShowSimulator(new SimulatorOptions { IncidentChance = 0 });

        var onAir = sut.Generate(ShowTime, ShowTime.AddMinutes(5));
        var offAir = sut.Generate(ShowTime.AddHours(-8), ShowTime.AddHours(-8).AddMinutes(5));

        Assert.Superset(new HashSet<string> { "viewers", "logins", "votes", "errors", "latency" }, onAir.Select(e => e.Key).ToHashSet());
        Assert.True(onAir.Count(e => e.Key == "logins") > 10 * offAir.Count(e => e.Key == "logins"));
        Assert.InRange(onAir.First(e => e.Key == "viewers").Value, 500_000, 1_100_000);
        Assert.All(onAir, e => Assert.InRange(e.Timestamp, ShowTime, ShowTime.AddMinutes(5)));
    }

    [Fact]
    public void Generate_IncidentCertain_RaisesErrorsAndLatency()
    {
        var calm = new TvShowSimulator(new SimulatorOptions { IncidentChance = 0 }).Generate(ShowTime, ShowTime.AddMinutes(2));
        var incident = new TvShowSimulator(new SimulatorOptions { IncidentChance = 1 }).Generate(ShowTime, ShowTime.AddMinutes(2));

        Assert.True(incident.Where(e => e.Key == "errors").Sum(e => e.Value) > 10 * Math.Max(1, calm.Where(e => e.Key == "errors").Sum(e => e.Value)));
        Assert.True(incident.Where(e => e.Key == "latency").Average(e => e.Value) > 3 * calm.Where(e => e.Key == "latency").Average(e => e.Value));
        Assert.Contains(incident, e => e.Key == "incidents");
    }

    [Fact]
    public async Task SimulatorService_TimerTicks_WritesEventsIntoTheStore()
    {
        using var t = TestStore.Create(ShowTime);
        var ct = TestContext.Current.CancellationToken;
        // As the host does before any service starts: the schedule leases' table exists.
        await t.Database.InitializeAsync(ct);
        using var sut = new SimulatorService(t.Store, t.Ownership, Options.Create(new SimulatorOptions()), t.Time, TestStore.Logger<SimulatorService>());
        await sut.StartAsync(ct);
        await Wait.ForAsync(sut.TimerStarted, "the simulator's timer to start");

        t.Time.Advance(TimeSpan.FromSeconds(5));

        await Wait.UntilAsync(async () => await t.Store.CountEventsAsync(ct) > 0, "the simulator's first events");

        await sut.StopAsync(ct);
        var window = TimeWindow.Ending(ShowTime.AddMinutes(1), TimeSpan.FromMinutes(1), 1)[0];
        Assert.Equal(5, (await t.Source.MeasureAsync(new KpiQuery("errors", KpiAggregation.Count), window, ct)).Count);
    }

    private static string Describe(RadiatorEvent e) => $"{e.Timestamp:O} {e.Key} {e.Value}";
}
