using ChatOps.Radiator.Events;

namespace ChatOps.Radiator.Simulation;

/// <summary>
/// Events of a live TV show's second-screen app: viewers, logins, votes, errors and latency, shaped
/// by a daily show schedule with vote windows, plus the occasional incident. Pure and deterministic:
/// the events for a period depend only on the seed and the period, not on what was asked before.
/// </summary>
internal sealed class TvShowSimulator(SimulatorOptions options)
{
    private static readonly string[] Platforms = ["ios", "android", "web", "tv"];

    /// <summary>Events in [<paramref name="from"/>, <paramref name="to"/>), one step per whole second.</summary>
    public IReadOnlyList<RadiatorEvent> Generate(DateTimeOffset from, DateTimeOffset to)
    {
        // Whole seconds s with from <= s < to: both ends rounded up, so back-to-back periods
        // cover every second exactly once, wherever their boundaries fall.
        var events = new List<RadiatorEvent>();
        for (var second = CeilingSecond(from); second < CeilingSecond(to); second++)
        {
            Step(second, events);
        }

        return events;
    }

    /// <summary>How many viewers watch at <paramref name="time"/>: the show's arc over the baseline.</summary>
    public double Audience(DateTimeOffset time)
    {
        var intoShow = time.TimeOfDay - options.ShowStart;
        if (intoShow < -TimeSpan.FromHours(12))
        {
            intoShow += TimeSpan.FromDays(1);
        }

        var rampUp = TimeSpan.FromMinutes(30);
        double shape;
        if (intoShow < -rampUp || intoShow > options.ShowLength + rampUp)
        {
            shape = 0;
        }
        else if (intoShow < TimeSpan.Zero)
        {
            shape = 1 + (intoShow / rampUp);
        }
        else if (intoShow > options.ShowLength)
        {
            shape = 1 - ((intoShow - options.ShowLength) / rampUp);
        }
        else
        {
            // A gentle swell during the show, highest near the final third.
            shape = 0.8 + (0.2 * Math.Sin(Math.PI * (intoShow / options.ShowLength) * 0.9));
        }

        return options.BaselineViewers + ((options.PeakViewers - options.BaselineViewers) * shape * shape);
    }

    private void Step(long second, List<RadiatorEvent> events)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(second);
        var random = new Random(Mix(options.Seed, second));
        var incident = InIncident(second);
        var viewers = Audience(time) * (1 + ((random.NextDouble() - 0.5) * 0.02));
        if (second % 10 == 0)
        {
            events.Add(new RadiatorEvent(time, "viewers", Math.Round(viewers)));
        }

        // About one login a second per 100,000 viewers, more at the start of the show.
        var logins = Poisson(random, viewers / 100_000);
        for (var i = 0; i < logins; i++)
        {
            events.Add(new RadiatorEvent(time.AddMilliseconds(random.Next(1000)), "logins")
            {
                Tags = new Dictionary<string, string> { ["platform"] = Platforms[random.Next(Platforms.Length)] },
            });
        }

        var minuteOfShow = (time.TimeOfDay - options.ShowStart).TotalMinutes;
        var voting = minuteOfShow >= 0 && minuteOfShow < options.ShowLength.TotalMinutes && minuteOfShow % 20 < 3;
        if (voting)
        {
            events.Add(new RadiatorEvent(time, "votes", Math.Round(viewers * 0.002 * (0.5 + random.NextDouble()))));
        }
        else if (second % 10 == 0)
        {
            // Outside a vote window the app still reports: zero votes is news, missing data is not.
            events.Add(new RadiatorEvent(time, "votes", 0));
        }

        // Every second reports its errors, zero included, so a quiet minute reads as zero, not as late data.
        var errors = Poisson(random, (incident ? 20 : 0.05) + (logins * 0.01));
        events.Add(new RadiatorEvent(time, "errors", errors));

        var latencyBase = incident ? 600 : 120;
        events.Add(new RadiatorEvent(time.AddMilliseconds(random.Next(1000)), "latency", Math.Round(latencyBase * Math.Exp(0.35 * Gaussian(random)), 1)));
        if (incident && second % 60 == 0)
        {
            events.Add(new RadiatorEvent(time, "incidents") { Message = "simulated incident: login service degraded" });
        }
    }

    private static long CeilingSecond(DateTimeOffset time) => (long)Math.Ceiling(time.ToUnixTimeMilliseconds() / 1000.0);

    private bool InIncident(long second)
    {
        var block = second / 300;
        return new Random(Mix(options.Seed ^ 0x5EED, block)).NextDouble() < options.IncidentChance;
    }

    // Deterministic across processes (HashCode is randomized per process, so it cannot be used).
    private static int Mix(int seed, long value)
    {
        unchecked
        {
            var x = (ulong)value * 0x9E3779B97F4A7C15UL ^ (ulong)seed;
            x ^= x >> 31;
            x *= 0xBF58476D1CE4E5B9UL;
            x ^= x >> 29;
            return (int)x;
        }
    }

    private static int Poisson(Random random, double mean)
    {
        if (mean > 30)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Gaussian(random))));
        }

        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
