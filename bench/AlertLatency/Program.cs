// Alert-in to message-out: POST /api/alerts → the alert's message on the web chat event stream.
// Phase 1: one alert at a time (latency p50/p99). Phase 2: many alerts from several clients (alerts/s sustained).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOps.Bench;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;

// Arguments: [latency count] [burst count] [clients], and anywhere --bot <Bot.dll> to measure another build,
// --storage sqlite|postgres and --replicas N (N bots on one store, the clients spread over them round-robin).
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var counts = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal))
    {
        options[args[i]] = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    }
    else
    {
        counts.Add(args[i]);
    }
}

var unknown = options.Keys.Except(["--bot", "--storage", "--replicas", "--rate", "--seconds"]).ToList();
if (unknown.Count > 0)
{
    throw new ArgumentException($"Unknown option {unknown[0]}. Options: --bot, --storage, --replicas, --rate, --seconds.");
}

// --rate R: after the burst, alerts sent at R a second for --seconds S (10 unless given; a batch every 50/R s, whether or
// not the last was answered), so the latency is measured at that rate rather than behind a queue the bench itself built.
var rate = options.TryGetValue("--rate", out var r) ? int.Parse(r, CultureInfo.InvariantCulture) : 0;
var pacedFor = TimeSpan.FromSeconds(options.TryGetValue("--seconds", out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : 10);

var botDll = options.TryGetValue("--bot", out var bot)
    ? Path.GetFullPath(bot)
    : typeof(Marker).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BotAssembly").Value!;
var storage = options.TryGetValue("--storage", out var engine) ? BenchBots.ParseStorage(engine) : BenchStorage.Sqlite;
var replicaCount = options.TryGetValue("--replicas", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : 1;
var latencyCount = counts.Count > 0 ? int.Parse(counts[0], CultureInfo.InvariantCulture) : 500;
var burstCount = counts.Count > 1 ? int.Parse(counts[1], CultureInfo.InvariantCulture) : 5000;
var clients = counts.Count > 2 ? int.Parse(counts[2], CultureInfo.InvariantCulture) : 8;
const int Batch = 50;

Console.WriteLine($"Load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
var settings = new Dictionary<string, string>
{
    ["Radiator__Simulator__Enabled"] = "false",
    ["Logging__LogLevel__Default"] = "Warning",
};
await using var bots = await BenchBots.StartAsync("alert-bench-", storage, replicaCount, settings, botDll);
// Client (or alert, one at a time) i goes to replica i mod n.
var https = bots.Bots.Select(b => new HttpClient { BaseAddress = b.BaseAddress, Timeout = TimeSpan.FromMinutes(2) }).ToList();
HttpClient To(int i) => https[i % https.Count];
Console.WriteLine($"ready (/healthz 200) {string.Join(", ", bots.ReadyAfter.Select(r => r.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))} s after the process started");
if (bots.Bots.Count > 1 || storage != BenchStorage.Sqlite)
{
    Console.WriteLine($"{bots.Description}; each alert's arrival is the first on any replica's event stream");
}

await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System);
Console.WriteLine($"resident memory, idle after start: {Memory()} MiB");

// Arrival time of each alert's first top-level message, by its number in the title.
var arrived = new ConcurrentDictionary<int, long>();
var waiters = new ConcurrentDictionary<int, TaskCompletionSource>();
var number = new Regex(@"Bench alert (\d+)", RegexOptions.Compiled);
foreach (var http in https)
{
    // The stream opens with a "ready" event, so its headers come without anything being posted first.
    var streamResponse = await Wait.ForAsync(
        http.GetAsync(new Uri("/api/chat/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead), "the event stream's headers");
    var stream = await streamResponse.EnsureSuccessStatusCode().Content.ReadAsStreamAsync();
    _ = Task.Run(async () =>
    {
        var parser = SseParser.Create(stream, (type, data) => type == "message" ? JsonSerializer.Deserialize<JsonElement>(data) : default);
        await foreach (var item in parser.EnumerateAsync())
        {
            var now = Stopwatch.GetTimestamp();
            if (item.Data.ValueKind != JsonValueKind.Object || item.Data.GetProperty("channel").GetString() != "alerts"
                || item.Data.TryGetProperty("threadOf", out var t) && t.ValueKind == JsonValueKind.String)
            {
                continue;
            }

            if (number.Match(item.Data.GetProperty("text").GetString() ?? "") is { Success: true } m
                && arrived.TryAdd(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), now)
                && waiters.TryRemove(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), out var w))
            {
                w.TrySetResult();
            }
        }
    });
}

// Warm-up, discarded.
for (var i = 0; i < 50; i++)
{
    await OneAsync(1_000_000 + i);
}

var latencies = new List<double>();
for (var i = 0; i < latencyCount; i++)
{
    latencies.Add(await OneAsync(i));
}

latencies.Sort();
Console.WriteLine($"latency, one at a time ({latencyCount}): p50 {Rank(latencies, 50):0.0} ms, p99 {Rank(latencies, 99):0.0} ms, max {latencies[^1]:0.0} ms");

var first = 2_000_000;
// When each burst alert's batch was posted: its latency at the burst's rate runs from there to its message.
var sentAt = new ConcurrentDictionary<int, long>();
var began = Stopwatch.GetTimestamp();
var next = -1;
var accepted = Stopwatch.GetTimestamp();
await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
{
    int batch;
    while ((batch = Interlocked.Increment(ref next)) * Batch < burstCount)
    {
        var numbers = Enumerable.Range(first + (batch * Batch), Math.Min(Batch, burstCount - (batch * Batch))).ToList();
        var sent = Stopwatch.GetTimestamp();
        numbers.ForEach(n => sentAt[n] = sent);
        await PostAsync(To(client), [.. numbers.Select(Alert)]);
    }
}));
accepted = Stopwatch.GetTimestamp();
await Wait.UntilAsync(
    () => Enumerable.Range(first, burstCount).All(arrived.ContainsKey),
    $"all {burstCount} burst alerts to arrive",
    within: TimeSpan.FromMinutes(5),
    lastSeen: () => $"{Enumerable.Range(first, burstCount).Count(arrived.ContainsKey)} arrived");

var lastArrival = Enumerable.Range(first, burstCount).Max(i => arrived[i]);
var total = Stopwatch.GetElapsedTime(began, lastArrival);
Console.WriteLine($"burst of {burstCount} from {clients} clients in batches of {Batch}: webhook accepted all in {Stopwatch.GetElapsedTime(began, accepted).TotalSeconds:0.00} s " +
    $"({burstCount / Stopwatch.GetElapsedTime(began, accepted).TotalSeconds:0} alerts/s), all posted after {total.TotalSeconds:0.00} s ({burstCount / total.TotalSeconds:0} alerts/s sustained)");
var underLoad = Enumerable.Range(first, burstCount).Select(i => Stopwatch.GetElapsedTime(sentAt[i], arrived[i]).TotalMilliseconds).Order().ToList();
Console.WriteLine($"latency at that rate (batch POST → message): p50 {Rank(underLoad, 50):0.0} ms, p99 {Rank(underLoad, 99):0.0} ms, max {underLoad[^1]:0.0} ms");
if (rate > 0)
{
    var paced = await PacedAsync(3_000_000, rate, pacedFor);
    Console.WriteLine($"paced at {rate} alerts/s for {pacedFor.TotalSeconds:0} s ({paced.Count} alerts), batch POST → message: p50 {Rank(paced, 50):0.0} ms, p99 {Rank(paced, 99):0.0} ms, max {paced[^1]:0.0} ms");
}

await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);
Console.WriteLine($"resident memory after the burst: {Memory()} MiB");
Console.WriteLine($"Load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
foreach (var http in https)
{
    http.Dispose();
}

await bots.StopAsync(TimeSpan.FromSeconds(15));
return 0;

// Each replica's resident memory, in start order.
string Memory() => string.Join(", ", bots.Bots.Select(b => ProcessMemory.ResidentMiB(b.ProcessId).ToString("0", CultureInfo.InvariantCulture)));

async Task<double> OneAsync(int i)
{
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    waiters[i] = done;
    var sent = Stopwatch.GetTimestamp();
    await PostAsync(To(i), [Alert(i)]);
    if (!arrived.ContainsKey(i))
    {
        await Wait.ForAsync(done.Task, $"alert {i}'s message on the stream");
    }

    return Stopwatch.GetElapsedTime(sent, arrived[i]).TotalMilliseconds;
}

// Sends alerts numbered from first at perSecond for duration, a batch at each scheduled moment from its own task; returns
// each alert's time from its batch's scheduled moment to its message, sorted.
async Task<List<double>> PacedAsync(int first, int perSecond, TimeSpan duration)
{
    var batches = (int)(perSecond * duration.TotalSeconds / Batch);
    var interval = TimeSpan.FromSeconds((double)Batch / perSecond);
    var start = Stopwatch.GetTimestamp();
    var scheduled = new ConcurrentDictionary<int, long>();
    var sending = new List<Task>(batches);
    for (var b = 0; b < batches; b++)
    {
        var at = start + (long)(interval.TotalSeconds * b * Stopwatch.Frequency);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, TimeProvider.System);
        }

        var numbers = Enumerable.Range(first + (b * Batch), Batch).ToList();
        numbers.ForEach(n => scheduled[n] = at);
        sending.Add(PostAsync(To(b), [.. numbers.Select(Alert)]));
    }

    await Task.WhenAll(sending);
    var count = batches * Batch;
    await Wait.UntilAsync(
        () => Enumerable.Range(first, count).All(arrived.ContainsKey),
        $"all {count} paced alerts to arrive",
        within: TimeSpan.FromMinutes(5),
        lastSeen: () => $"{Enumerable.Range(first, count).Count(arrived.ContainsKey)} arrived");
    return [.. Enumerable.Range(first, count).Select(i => Stopwatch.GetElapsedTime(scheduled[i], arrived[i]).TotalMilliseconds).Order()];
}

static object Alert(int i) => new
{
    fingerprint = $"bench-{i}",
    status = "firing",
    title = $"Bench alert {i}",
    severity = "warning",
    labels = new { alertname = "Bench", environment = "test" },
};

static async Task PostAsync(HttpClient http, object[] alerts)
{
    var response = await http.PostAsJsonAsync(new Uri("/api/alerts", UriKind.Relative), alerts);
    response.EnsureSuccessStatusCode();
}

static double Rank(List<double> sorted, int percentile) => sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];

internal sealed class Marker;
