using System.Diagnostics;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// Runs one operation from <c>clients</c> concurrent loops, each for at most <c>perClient</c>
/// iterations and none started after the cap. An operation returns one latency per metric it
/// measures (e.g. "202 received" and "reply received"); failures are counted, not retried.
/// </summary>
public static class LoadLoop
{
    public static async Task<(IReadOnlyList<TimeSpan>[] Latencies, TimeSpan Elapsed, int Failures)> RunAsync(
        int clients, int perClient, TimeSpan cap, int metrics, Func<int, CancellationToken, Task<TimeSpan[]>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var samples = Enumerable.Range(0, metrics).Select(_ => new List<TimeSpan>(clients * perClient)).ToArray();
        var gate = new Lock();
        var failures = 0;
        var started = Stopwatch.GetTimestamp();

        async Task ClientAsync(int client)
        {
            for (var i = 0; i < perClient && Stopwatch.GetElapsedTime(started) < cap; i++)
            {
                try
                {
                    var latencies = await operation(client, cancellationToken);
                    lock (gate)
                    {
                        for (var m = 0; m < metrics; m++)
                        {
                            samples[m].Add(latencies[m]);
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                    await Console.Error.WriteLineAsync($"  client {client}: {e.Message}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c), cancellationToken)));
        return (samples, Stopwatch.GetElapsedTime(started), failures);
    }
}
