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

var latencyCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
var burstCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
const int Clients = 4;
const int Batch = 50;

var botDll = typeof(Marker).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BotAssembly").Value!;
var root = Directory.CreateTempSubdirectory("alert-bench-").FullName;
var port = FreePort();
var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
{
    UseShellExecute = false,
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    WorkingDirectory = Path.GetDirectoryName(botDll)!,
};
foreach (var a in new[] { botDll, "--urls", $"http://127.0.0.1:{port}" })
{
    start.ArgumentList.Add(a);
}

start.Environment["Storage__ConnectionString"] = $"Data Source={Path.Combine(root, "state.db")}";
start.Environment["Local__DataDirectory"] = Path.Combine(root, "envs");
start.Environment["Radiator__Simulator__Enabled"] = "false";
start.Environment["Logging__LogLevel__Default"] = "Warning";
using var bot = Process.Start(start)!;
bot.OutputDataReceived += (_, _) => { };
bot.ErrorDataReceived += (_, _) => { };
bot.BeginOutputReadLine();
bot.BeginErrorReadLine();
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(2) };
try
{
    for (var i = 0; ; i++)
    {
        try
        {
            if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode)
            {
                break;
            }
        }
        catch (HttpRequestException) when (i < 600)
        {
        }

        await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
    }

    // Arrival time of each alert's first top-level message, by its number in the title.
    var arrived = new ConcurrentDictionary<int, long>();
    var waiters = new ConcurrentDictionary<int, TaskCompletionSource>();
    var number = new Regex(@"Bench alert (\d+)", RegexOptions.Compiled);
    var streamRequest = http.GetAsync(new Uri("/api/chat/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
    for (var i = 0; !streamRequest.IsCompleted && i < 20; i++)
    {
        await PostAsync(http, [Alert(-1 - i)]); // the stream sends its headers with its first event
        await Task.WhenAny(streamRequest, Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System));
    }

    var stream = await (await streamRequest).Content.ReadAsStreamAsync();
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
    var began = Stopwatch.GetTimestamp();
    var next = -1;
    var accepted = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
    {
        int batch;
        while ((batch = Interlocked.Increment(ref next)) * Batch < burstCount)
        {
            await PostAsync(http, [.. Enumerable.Range(first + (batch * Batch), Math.Min(Batch, burstCount - (batch * Batch))).Select(Alert)]);
        }
    }));
    accepted = Stopwatch.GetTimestamp();
    while (Enumerable.Range(first, burstCount).Any(i => !arrived.ContainsKey(i)))
    {
        if (Stopwatch.GetElapsedTime(began) > TimeSpan.FromMinutes(5))
        {
            throw new TimeoutException($"only {Enumerable.Range(first, burstCount).Count(arrived.ContainsKey)} of {burstCount} burst alerts arrived");
        }

        await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
    }

    var lastArrival = Enumerable.Range(first, burstCount).Max(i => arrived[i]);
    var total = Stopwatch.GetElapsedTime(began, lastArrival);
    Console.WriteLine($"burst of {burstCount} from {Clients} clients in batches of {Batch}: webhook accepted all in {Stopwatch.GetElapsedTime(began, accepted).TotalSeconds:0.00} s " +
        $"({burstCount / Stopwatch.GetElapsedTime(began, accepted).TotalSeconds:0} alerts/s), all posted after {total.TotalSeconds:0.00} s ({burstCount / total.TotalSeconds:0} alerts/s sustained)");
    return 0;

    async Task<double> OneAsync(int i)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiters[i] = done;
        var sent = Stopwatch.GetTimestamp();
        await PostAsync(http, [Alert(i)]);
        if (!arrived.ContainsKey(i))
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        }

        return Stopwatch.GetElapsedTime(sent, arrived[i]).TotalMilliseconds;
    }
}
finally
{
    bot.Kill(entireProcessTree: true);
    await bot.WaitForExitAsync();
    Directory.Delete(root, recursive: true);
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

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

internal sealed class Marker;
