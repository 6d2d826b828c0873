using ChatOps.TestCommon.Processes;
using ChatOps.TestCommon.Storage;

namespace ChatOps.Bench;

/// <summary>Where the benched bots keep their state: <c>--storage sqlite|postgres</c>.</summary>
public enum BenchStorage
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The Bot as one or more real OS processes on one state store, for the benches: one SQLite file in the run's temporary
/// folder, or one database on a throwaway PostgreSQL cluster started for the run (the tests' own
/// <see cref="PostgresCluster"/>) and stopped with it. Several processes are replicas of one bot (<c>replica-a</c>,
/// <c>replica-b</c>…), each with its own folder for nodes and HAProxy, sharing the store and the audit key. One
/// replica on SQLite is the bot as the benches always ran it: its folder is the run's folder.
/// </summary>
public sealed class BenchBots : IAsyncDisposable
{
    private readonly BotRoot _root;
    private readonly List<BotProcess> _bots = [];
    private readonly Dictionary<BotProcess, TimeSpan> _ready = [];
    // A disposed BotProcess cannot be asked whether it exited, so each is disposed once.
    private readonly HashSet<BotProcess> _disposed = [];
    private PostgresCluster? _cluster;

    private BenchBots(string prefix, BenchStorage storage)
    {
        _root = new BotRoot(prefix);
        Storage = storage;
    }

    public BenchStorage Storage { get; }

    /// <summary>The replicas, in start order; clients are spread over them round-robin.</summary>
    public IReadOnlyList<BotProcess> Bots => _bots;

    /// <summary>
    /// Each replica's time from its process start to <c>/healthz</c> 200, in start order; a throwaway PostgreSQL
    /// cluster's own start is not in it.
    /// </summary>
    public IReadOnlyList<TimeSpan> ReadyAfter => [.. _bots.Select(b => _ready[b])];

    /// <summary>The run's temporary folder: every replica's folder and the SQLite file are inside.</summary>
    public string Root => _root.Path;

    /// <summary>"1 replica on SQLite", "3 replicas on PostgreSQL": for the report.</summary>
    public string Description =>
        $"{_bots.Count} {(_bots.Count == 1 ? "replica" : "replicas")} on {(Storage == BenchStorage.Postgres ? "PostgreSQL" : "SQLite")}";

    /// <summary>Keeps the run's folder (logs and data) after disposal, for a run that failed.</summary>
    public bool Keep
    {
        get => _root.Keep;
        set => _root.Keep = value;
    }

    /// <summary>
    /// Starts <paramref name="replicas"/> bots on <paramref name="storage"/> and waits until each answers <c>/healthz</c>
    /// with 200: the first alone (it creates the store's schema and the audit key), then the others together.
    /// </summary>
    public static async Task<BenchBots> StartAsync(string prefix, BenchStorage storage, int replicas, IReadOnlyDictionary<string, string> settings, string botAssembly)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        ArgumentNullException.ThrowIfNull(settings);
        var bots = new BenchBots(prefix, storage);
        try
        {
            var shared = new Dictionary<string, string>(settings);
            if (storage == BenchStorage.Postgres)
            {
                bots._cluster = await PostgresCluster.StartNewAsync();
                var database = await bots._cluster.CreateDatabaseAsync();
                shared["Storage__Provider"] = "Postgres";
                shared["Storage__ConnectionString"] = database.ConnectionString;
            }

            if (replicas == 1)
            {
                bots._bots.Add(await bots.StartOneAsync(bots.Root, shared, botAssembly));
                return bots;
            }

            shared["Audit__KeyFile"] = Path.Combine(bots.Root, "audit.key");
            if (storage == BenchStorage.Sqlite)
            {
                shared["Storage__ConnectionString"] = $"Data Source={Path.Combine(bots.Root, "state.db")}";
            }

            var names = Enumerable.Range(0, replicas).Select(i => $"replica-{(char)('a' + i)}").ToList();
            Dictionary<string, string> Named(string name) => new(shared) { ["Replicas__Name"] = name };
            bots._bots.Add(await bots.StartOneAsync(Path.Combine(bots.Root, names[0]), Named(names[0]), botAssembly));
            var others = names.Skip(1).Select(name => bots.StartOneAsync(Path.Combine(bots.Root, name), Named(name), botAssembly)).ToList();
            try
            {
                await Task.WhenAll(others);
            }
            finally
            {
                // Those that did start are stopped with the rest when another did not.
                bots._bots.AddRange(others.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            }

            return bots;
        }
        catch
        {
            await bots.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops every replica as a service manager would (SIGTERM, killed after <paramref name="bound"/>), writes each one's
    /// output to <c>bot.log</c> in its folder and returns their warnings and errors, each prefixed with its replica when
    /// there are several.
    /// </summary>
    public async Task<IReadOnlyList<string>> StopAsync(TimeSpan bound)
    {
        await Task.WhenAll(_bots.Select(bot => bot.StopAsync(bound)));
        var problems = new List<string>();
        foreach (var bot in _bots)
        {
            await DisposeOnceAsync(bot);
            await File.WriteAllTextAsync(Path.Combine(bot.Root, "bot.log"), bot.Output, CancellationToken.None);
            var prefix = _bots.Count == 1 ? "" : $"{Path.GetFileName(bot.Root)}: ";
            problems.AddRange(bot.Problems().Select(p => prefix + p));
        }

        return problems;
    }

    /// <summary>
    /// Stops whatever is left (the bots, their nodes and HAProxy fronts, the PostgreSQL cluster); returns the programs of
    /// the processes still running under the run's folder, one entry each.
    /// </summary>
    public async ValueTask<List<string>> StopEverythingAsync()
    {
        foreach (var bot in _bots)
        {
            await DisposeOnceAsync(bot);
        }

        var left = ProcessScanner.StopEverythingUnder(Root);
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null;
        }

        return left;
    }

    public async ValueTask DisposeAsync()
    {
        await StopEverythingAsync();
        _root.Dispose();
    }

    private async Task DisposeOnceAsync(BotProcess bot)
    {
        if (_disposed.Add(bot))
        {
            await bot.DisposeAsync();
        }
    }

    private async Task<BotProcess> StartOneAsync(string root, Dictionary<string, string> settings, string botAssembly)
    {
        Directory.CreateDirectory(root);
        var started = TimeProvider.System.GetTimestamp();
        // Run from its own folder, as deployed (the content root is the working directory), on the product's
        // defaults rather than the tests' faster progress edits.
        var bot = await BotProcess.StartAsync(root, settings, botAssembly: botAssembly, workingDirectory: Path.GetDirectoryName(botAssembly), testDefaults: false);
        lock (_ready)
        {
            _ready[bot] = TimeProvider.System.GetElapsedTime(started);
        }

        return bot;
    }

    /// <summary>Parses <c>--storage</c>'s value.</summary>
    public static BenchStorage ParseStorage(string value) => value.ToUpperInvariant() switch
    {
        "SQLITE" => BenchStorage.Sqlite,
        "POSTGRES" or "POSTGRESQL" => BenchStorage.Postgres,
        _ => throw new ArgumentException($"--storage must be sqlite or postgres, not '{value}'."),
    };
}
