using System.Diagnostics;
using ChatOps.Bench.CommandRoundTrip;
using ChatOps.TestCommon.Processes;

// Command round trip through the chat API (issue 2): the Bot as a real process beside a bare
// Kestrel endpoint in this process as the ceiling, sequential for latency, concurrent for rate.
var settings = BenchSettings.Parse(args);
using var total = new CancellationTokenSource(settings.TotalCap);
var cancellationToken = total.Token;
var channels = Enumerable.Range(1, settings.Clients).Select(i => $"bench{i}").ToArray();

using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(30) };
using var streamHttp = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

Console.WriteLine($"Machine: {Report.Machine()}");
Console.WriteLine($"Load average before: {Report.LoadAverage()}");
Console.WriteLine($"Bot: {settings.BotAssembly}");

await using var bareEndpoint = await BareEndpoint.StartAsync(cancellationToken);
var root = new BotRoot("chatops-bench-");
// The embedded defaults list four channels; the concurrent clients each get one more of their own so
// that every reply can be matched to its request.
var extraChannels = channels.Select((channel, i) => ($"WebChat__Channels__{4 + i}", channel)).ToDictionary();
// The acknowledgement-only run queues every post before it is answered: room for all of them, so none is refused as busy.
extraChannels["Inbound__Capacity"] = "100000";
var started = Stopwatch.GetTimestamp();
// Run from its own folder, as deployed (the content root is the working directory), on the product's
// defaults rather than the tests' faster progress edits.
var bot = await BotProcess.StartAsync(root.Path, extraChannels, botAssembly: settings.BotAssembly,
    workingDirectory: Path.GetDirectoryName(settings.BotAssembly), testDefaults: false);
var succeeded = false;
try
{
    var ready = Stopwatch.GetElapsedTime(started);
    Console.WriteLine($"Bot healthy at {bot.BaseAddress} after {ready.TotalSeconds:0.00} s (data in {bot.Root})");
    // Idle: started, recovered, and nothing asked of it yet.
    await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System, cancellationToken);
    var idleRss = ProcessMemory.ResidentMiB(bot.ProcessId);

    var botClient = new ChatClient(http, bot.BaseAddress);
    await using var stream = new ChatStream(streamHttp);
    // Help is shown to the person who asked alone: the stream watches as the user the sequential rows ask as.
    await stream.ConnectAsync(bot.BaseAddress, Scenarios.Asker(0), token => botClient.PostAsync("ops", "carol", "help", token), cancellationToken);
    var scenarios = new Scenarios(settings, botClient, stream, new ChatClient(http, bareEndpoint.Address));
    var results = new List<Measurement>();

    async Task StepAsync(string name, Func<Task<IEnumerable<Measurement>>> step)
    {
        Console.WriteLine($"- {name}…");
        results.AddRange(await step());
    }

    // Bare and Bot alternate so that both see roughly the same background load.
    await StepAsync("bare, sequential", async () => [await scenarios.BareAsync(1, settings.BareIterations, cancellationToken)]);
    await StepAsync("bot help, sequential", async () => await scenarios.CommandAsync("help", "/env", ["ops"], settings.Iterations, cancellationToken));
    await StepAsync("bot status, sequential", async () => await scenarios.CommandAsync("/env status test", "(Local provider)", ["ops"], settings.Iterations, cancellationToken));
    await StepAsync($"bare, {settings.Clients} clients", async () => [await scenarios.BareAsync(settings.Clients, settings.BareIterations, cancellationToken)]);
    await StepAsync($"bot status, {settings.Clients} clients", async () => await scenarios.CommandAsync("/env status test", "(Local provider)", channels, settings.LoadIterations, cancellationToken));
    await StepAsync($"bare, {settings.Clients} clients (again, beside the acknowledgements)", async () => [await scenarios.BareAsync(settings.Clients, settings.BareIterations, cancellationToken)]);
    await StepAsync($"bot status acknowledgements only, {settings.Clients} clients", async () => [await scenarios.AcksAsync("/env status test", channels, settings.AckIterations, cancellationToken)]);
    await StepAsync("bot up/halt cycles", async () => await new UpCycle(settings, botClient, stream).RunAsync(cancellationToken));

    Console.WriteLine($"Load average after: {Report.LoadAverage()}");
    Console.WriteLine($"Ready (/healthz 200 after the process started): {ready.TotalSeconds:0.00} s");
    Console.WriteLine($"Resident memory: {idleRss:0} MiB idle after start, {ProcessMemory.ResidentMiB(bot.ProcessId):0} MiB after the run");
    Console.WriteLine();
    Console.WriteLine(Report.Table(results));
    // With so few up cycles p99 is the slowest one; show each so a cold first cycle is visible.
    foreach (var row in results.Where(r => r.Scenario.StartsWith("`/env up", StringComparison.Ordinal)))
    {
        Console.WriteLine($"{row.Scenario}, each cycle (ms): {string.Join(", ", row.Latencies.Select(l => l.TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    succeeded = results.All(r => r.Failures == 0 && r.Count > 0);
}
finally
{
    // SIGTERM, so it shuts down as in production.
    await bot.StopAsync(TimeSpan.FromSeconds(15));
    await bot.DisposeAsync();
    var log = Path.Combine(bot.Root, "bot.log");
    await File.WriteAllTextAsync(log, bot.Output, CancellationToken.None);
    var problems = bot.Problems();
    Console.WriteLine($"Bot log: {problems.Count} warnings or errors.");
    foreach (var problem in problems.Take(10))
    {
        Console.WriteLine($"  {problem}");
    }

    var left = ProcessScanner.StopEverythingUnder(bot.Root);
    Console.WriteLine(left == 0 ? "Bot, its nodes and HAProxy fronts stopped." : $"WARNING: {left} processes were still running under {bot.Root}; stopped them.");
    root.Keep = !succeeded;
    root.Dispose();
    if (!succeeded)
    {
        Console.WriteLine($"Something failed; the Bot's log ({log}) and data are kept in {bot.Root}.");
    }
}

return succeeded ? 0 : 1;
