using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.Integrations.Storage;
using ChatOps.Radiator;
using ChatOps.Radiator.Bench;
using ChatOps.Radiator.Events;
using ChatOps.Radiator.Pulse;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Measures what issue 4 asks for: events/s into the embedded store, pulse time as the store grows
// (it should not), and requests sent to Elasticsearch per pulse (one).
var checkpoints = (args.Length > 0 ? args[0] : "1000000,10000000").Split(',').Select(long.Parse).ToArray();
var batchSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
var root = Directory.CreateTempSubdirectory("radiator-bench-").FullName;
var time = TimeProvider.System;
var now = time.GetUtcNow();
var options = Options.Create(new RadiatorOptions());
var database = new StateDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(root, "events.db")}" }), [new EventStoreSchema()], new BenchHost(root));
var store = new EmbeddedEventStore(database, options, time, NullLogger<EmbeddedEventStore>.Instance);
var source = new EmbeddedEventSource(store);
var kpis = PulseOptionsDefaults();

Console.WriteLine($"Machine: {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"Database: {root}; batch size {batchSize}");

// Each stage writes events spread over the past 8 days in time order, as live ingest (or a backfill)
// would: 5 keys, mixed values. So every stage's pulse windows hold data, ten times more at 10M.
var span = TimeSpan.FromDays(8).TotalMilliseconds;
string[] keys = ["logins", "viewers", "votes", "errors", "latency"];
var random = new Random(42);
long written = 0;
var ingestClock = new Stopwatch();
foreach (var checkpoint in checkpoints)
{
    ingestClock.Start();
    var stageStart = written;
    var stageSize = checkpoint - written;
    while (written < checkpoint)
    {
        var count = (int)Math.Min(batchSize, checkpoint - written);
        var batch = new RadiatorEvent[count];
        for (var i = 0; i < count; i++)
        {
            var at = now.AddMilliseconds(-span + (span * (written - stageStart + i) / stageSize));
            var key = keys[random.Next(keys.Length)];
            batch[i] = new RadiatorEvent(at, key, key == "latency" ? Math.Round(50 + (random.NextDouble() * 400), 1) : 1);
        }

        await store.AppendAsync(batch, CancellationToken.None);
        written += count;
    }

    ingestClock.Stop();
    Console.WriteLine($"Stored {written:N0} events: {written / ingestClock.Elapsed.TotalSeconds:N0} events/s overall ingest");

    // A pulse = 12 sparkline windows + last week's window; the median of 30 rounds for each default KPI.
    var perKpi = new Dictionary<string, List<double>>();
    for (var round = 0; round < 30; round++)
    {
        foreach (var kpi in kpis)
        {
            var clock = Stopwatch.StartNew();
            var recent = TimeWindow.Before(now, kpi.Window, 12);
            await source.MeasureAsync(kpi.Query, [.. recent, new TimeWindow(recent[^1].From.AddDays(-7), kpi.Window)], CancellationToken.None);
            (perKpi.TryGetValue(kpi.Options.Name, out var list) ? list : perKpi[kpi.Options.Name] = []).Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    var all = perKpi.Values.SelectMany(v => v).Order().ToList();
    Console.WriteLine($"Pulse at {written:N0} events: median {all[all.Count / 2]:N2} ms per KPI, p90 {all[(int)(all.Count * 0.9)]:N2} ms; "
        + string.Join(", ", perKpi.Select(p => $"{p.Key} {p.Value.Order().ElementAt(p.Value.Count / 2):N2} ms")));
}

// Requests to Elasticsearch per pulse: count what reaches the wire for a /pulse of every default KPI.
var counter = new CountingHandler();
var client = new ElasticsearchClient(new HttpClient(counter), Options.Create(new ElasticsearchOptions { Url = new Uri("http://elasticsearch.invalid:9200/") }), time, NullLogger<ElasticsearchClient>.Instance);
var pulse = new PulseService(new ElasticsearchEventSource(client, options), new NullOutbox(),
    Options.Create(new PulseOptions { Kpis = [.. kpis.Select(k => k.Options)], Channels = ["webchat:pulse"] }), time, NullLogger<PulseService>.Instance);
await pulse.PostNowAsync(CancellationToken.None);
Console.WriteLine($"Elasticsearch requests for one pulse of {kpis.Count} KPIs: {counter.Requests} ({(double)counter.Requests / kpis.Count:N1} per KPI pulse)");

Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
Directory.Delete(root, recursive: true);

static List<(KpiOptions Options, KpiQuery Query, TimeSpan Window)> PulseOptionsDefaults() =>
[
    .. new[]
    {
        new KpiOptions { Name = "logins", Key = "logins", Aggregation = KpiAggregation.Count },
        new KpiOptions { Name = "viewers", Key = "viewers", Aggregation = KpiAggregation.Avg },
        new KpiOptions { Name = "votes", Key = "votes", Aggregation = KpiAggregation.Sum },
        new KpiOptions { Name = "errors", Key = "errors", Aggregation = KpiAggregation.Sum },
        new KpiOptions { Name = "latency", Key = "latency", Aggregation = KpiAggregation.P95, Unit = "ms" },
    }.Select(k => (k, new KpiQuery(k.Key!, k.Aggregation), k.Window)),
];

namespace ChatOps.Radiator.Bench
{
    internal sealed class BenchHost(string root) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Bench";

        public string ApplicationName { get; set; } = "Radiator.Bench";

        public string ContentRootPath { get; set; } = root;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    /// <summary>Answers every search with an empty size-0 aggregation result and counts the requests.</summary>
    internal sealed class CountingHandler : HttpMessageHandler
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            const string Body = """{"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"hits":[]},"aggregations":{"windows":{"buckets":[]}}}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Body, Encoding.UTF8, "application/json") });
        }
    }

    /// <summary>Accepts every message and sends nothing: the bench measures the source, not chat.</summary>
    internal sealed class NullOutbox : ChatOps.Integrations.Chat.Outbox.IChatOutbox
    {
        public Task<bool> EnqueuePostAsync(string key, ChatDestination destination, OutgoingMessage message, string? threadOfKey = null, string? digestAs = null, CancellationToken cancellationToken = default) => Task.FromResult(true);

        public Task<Action> EnqueuePostInAsync(string key, ChatDestination destination, OutgoingMessage message, System.Data.Common.DbConnection connection,
            System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken = default) => Task.FromResult<Action>(static () => { });

        public Task<bool> EnqueueUpdateAsync(string postKey, ChatDestination destination, OutgoingMessage message, CancellationToken cancellationToken = default) => Task.FromResult(true);

        public Task<string?> GetMessageIdAsync(string postKey, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

        public Task<bool> ContainsAsync(string postKey, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<ChatOps.Integrations.Chat.Outbox.ChatPostLocation?> LocateAsync(string postKey, CancellationToken cancellationToken = default) => Task.FromResult<ChatOps.Integrations.Chat.Outbox.ChatPostLocation?>(null);

        public Task<bool> AdoptAsync(string key, ChatDestination destination, string messageId, CancellationToken cancellationToken = default) => Task.FromResult(true);
    }
}
