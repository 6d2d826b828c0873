using ChatOps.Bench;
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
// The embedded defaults list four channels; the concurrent clients each get one more of their own so
// that every reply can be matched to its request.
var extraChannels = channels.Select((channel, i) => ($"WebChat__Channels__{4 + i}", channel)).ToDictionary();
// The acknowledgement-only run queues every post before it is answered: room for all of them, so none is refused as busy.
extraChannels["Inbound__Capacity"] = "100000";
var bots = await BenchBots.StartAsync("chatops-bench-", settings.Storage, settings.Replicas, extraChannels, settings.BotAssembly);
var bot = bots.Bots[0];
var succeeded = false;
var replicas = new List<BotEndpoint>();
try
{
    var ready = bots.ReadyAfter[0];
    Console.WriteLine(bots.Bots.Count == 1 && settings.Storage == BenchStorage.Sqlite
        ? $"Bot healthy at {bot.BaseAddress} after {ready.TotalSeconds:0.00} s (data in {bot.Root})"
        : $"Bots healthy ({bots.Description}) at {string.Join(", ", bots.Bots.Select(b => b.BaseAddress))} after {string.Join(", ", bots.ReadyAfter.Select(r => $"{r.TotalSeconds:0.00}"))} s (data in {bots.Root})");
    // Idle: started, recovered, and nothing asked of it yet.
    await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System, cancellationToken);
    var idleRss = bots.Bots.Select(b => ProcessMemory.ResidentMiB(b.ProcessId)).ToList();

    // One event stream per replica; help is shown to the person who asked alone, so each watches as the user the
    // sequential rows ask as.
    foreach (var replica in bots.Bots)
    {
        var client = new ChatClient(http, replica.BaseAddress);
        var stream = new ChatStream(streamHttp);
        replicas.Add(new BotEndpoint(client, stream));
        await stream.ConnectAsync(replica.BaseAddress, Scenarios.Asker(0), token => client.PostAsync("ops", "carol", "help", token), cancellationToken);
    }

    var scenarios = new Scenarios(settings, replicas, new ChatClient(http, bareEndpoint.Address));
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
    await StepAsync("bot up/halt cycles", async () => await new UpCycle(settings, replicas[0].Chat, replicas[0].Stream).RunAsync(cancellationToken));

    Console.WriteLine($"Load average after: {Report.LoadAverage()}");
    Console.WriteLine($"Ready (/healthz 200 after the process started): {string.Join(", ", bots.ReadyAfter.Select(r => $"{r.TotalSeconds:0.00}"))} s");
    Console.WriteLine(bots.Bots.Count == 1
        ? $"Resident memory: {idleRss[0]:0} MiB idle after start, {ProcessMemory.ResidentMiB(bot.ProcessId):0} MiB after the run"
        : $"Resident memory per replica: {string.Join(", ", idleRss.Select(m => $"{m:0}"))} MiB idle after start, " +
          $"{string.Join(", ", bots.Bots.Select(b => $"{ProcessMemory.ResidentMiB(b.ProcessId):0}"))} MiB after the run");
    Console.WriteLine();
    if (bots.Bots.Count > 1)
    {
        Console.WriteLine($"Bot rows: {bots.Description}, clients spread over them round-robin; the sequential rows and the up cycles on {Path.GetFileName(bot.Root)}.");
        Console.WriteLine();
    }
    else if (settings.Storage != BenchStorage.Sqlite)
    {
        Console.WriteLine($"Bot rows: {bots.Description}.");
        Console.WriteLine();
    }

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
    foreach (var replica in replicas)
    {
        await replica.Stream.DisposeAsync();
    }

    // SIGTERM, so they shut down as in production.
    var problems = await bots.StopAsync(TimeSpan.FromSeconds(15));
    Console.WriteLine($"Bot log: {problems.Count} warnings or errors.");
    foreach (var problem in problems.Take(10))
    {
        Console.WriteLine($"  {problem}");
    }

    // Nodes and HAProxy fronts outlive the bot by design (a restart adopts them): what is left is named, not warned about.
    var left = await bots.StopEverythingAsync();
    Console.WriteLine(left.Count == 0
        ? "Bot stopped; nothing of it was left running."
        : $"Left running after the Bot stopped, as nodes and HAProxy fronts are, and stopped now: {string.Join(", ", left.CountBy(p => p).Select(p => $"{p.Key} ×{p.Value}"))}.");
    bots.Keep = !succeeded;
    await bots.DisposeAsync();
    if (!succeeded)
    {
        Console.WriteLine($"Something failed; the Bot's log (bot.log in each bot's folder) and data are kept in {bots.Root}.");
    }
}

return succeeded ? 0 : 1;
