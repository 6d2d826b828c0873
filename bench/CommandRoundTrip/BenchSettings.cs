using System.Globalization;
using System.Reflection;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// Iteration counts and time caps, from <c>--name value</c> arguments. Every loop is bounded by
/// both: a count, and a cap after which it stops starting new round trips.
/// </summary>
public sealed record BenchSettings
{
    public string BotAssembly { get; init; } = DefaultBotAssembly();

    /// <summary>Where the bots keep their state (<c>--storage sqlite|postgres</c>). <value>Default: SQLite.</value></summary>
    public BenchStorage Storage { get; init; } = BenchStorage.Sqlite;

    /// <summary>Bot processes on the one store, the clients spread over them round-robin. <value>Default: 1.</value></summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Concurrent clients for the requests/s runs. <value>Default: 8.</value></summary>
    public int Clients { get; init; } = 8;

    /// <summary>Round trips per sequential Bot command run. <value>Default: 2000.</value></summary>
    public int Iterations { get; init; } = 2000;

    /// <summary>Round trips per concurrent client against the Bot. <value>Default: 500.</value></summary>
    public int LoadIterations { get; init; } = 500;

    /// <summary>Posts per concurrent client in the acknowledgement-only run. <value>Default: 500.</value></summary>
    public int AckIterations { get; init; } = 500;

    /// <summary>Requests per client against the bare endpoint. <value>Default: 5000.</value></summary>
    public int BareIterations { get; init; } = 5000;

    /// <summary><c>/env up dev</c> cycles (each also waits for up and halts). <value>Default: 10.</value></summary>
    public int UpIterations { get; init; } = 10;

    /// <summary>Discarded round trips before each measured loop, for the JIT and connection pool. <value>Default: 100.</value></summary>
    public int Warmup { get; init; } = 100;

    /// <summary>No loop starts a new round trip after this long. <value>Default: 60 s.</value></summary>
    public TimeSpan ScenarioCap { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The whole run is cancelled after this long. <value>Default: 10 min.</value></summary>
    public TimeSpan TotalCap { get; init; } = TimeSpan.FromMinutes(10);

    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new BenchSettings();
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            int Count() => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) is var n and > 0 ? n : throw new ArgumentException($"{args[i]} must be positive.");
            settings = args[i] switch
            {
                "--bot" => settings with { BotAssembly = Path.GetFullPath(value) },
                "--storage" => settings with { Storage = BenchBots.ParseStorage(value) },
                "--replicas" => settings with { Replicas = Count() },
                "--clients" => settings with { Clients = Count() },
                "--iterations" => settings with { Iterations = Count() },
                "--load-iterations" => settings with { LoadIterations = Count() },
                "--ack-iterations" => settings with { AckIterations = Count() },
                "--bare-iterations" => settings with { BareIterations = Count() },
                "--up-iterations" => settings with { UpIterations = Count() },
                "--warmup" => settings with { Warmup = Count() },
                "--cap-seconds" => settings with { ScenarioCap = TimeSpan.FromSeconds(Count()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --bot, --storage, --replicas, --clients, --iterations, --load-iterations, --ack-iterations, --bare-iterations, --up-iterations, --warmup, --cap-seconds."),
            };
        }

        return settings;
    }

    /// <summary>The Bot.dll built in the same configuration as this program (recorded at build time).</summary>
    private static string DefaultBotAssembly() =>
        Path.GetFullPath(typeof(BenchSettings).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BotAssembly").Value!);
}
