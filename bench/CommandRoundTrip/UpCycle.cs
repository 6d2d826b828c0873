using System.Diagnostics;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// The real thing: <c>/env up dev</c> until its progress message (posted before any node starts),
/// then on until the environment is up, then <c>halt</c> and confirm, so every cycle starts from a
/// halted environment the way a person would find it. Only the up is measured.
/// </summary>
public sealed class UpCycle(BenchSettings settings, ChatClient bot, ChatStream stream)
{
    private const string Channel = "ops";
    private const string User = "carol";
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(60);

    public async Task<Measurement[]> RunAsync(CancellationToken cancellationToken)
    {
        List<TimeSpan> accepted = [], progress = [], up = [];
        var failures = 0;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < settings.UpIterations && Stopwatch.GetElapsedTime(started) < settings.ScenarioCap * 2; i++)
        {
            try
            {
                var (a, p, u) = await OnceAsync(cancellationToken);
                accepted.Add(a);
                progress.Add(p);
                up.Add(u);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                failures++;
                await Console.Error.WriteLineAsync($"  up cycle {i}: {e.Message}");
            }
        }

        // No requests/s: each cycle also waits for nodes and halts them, which is not the command's cost.
        return
        [
            new Measurement(Scenarios.BotTarget, "`/env up dev`: POST → 202", 1, accepted, TimeSpan.Zero, failures),
            new Measurement(Scenarios.BotTarget, "`/env up dev`: POST → first progress message", 1, progress, TimeSpan.Zero, failures),
            new Measurement(Scenarios.BotTarget, "`/env up dev`: POST → \"is up\" (2 nodes healthy)", 1, up, TimeSpan.Zero, failures),
        ];
    }

    private async Task<(TimeSpan Accepted, TimeSpan Progress, TimeSpan Up)> OnceAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (id, acceptedAt) = await bot.PostAsync(Channel, User, "/env up dev", cancellationToken);
        var first = await stream.NextAsync(Channel, id, _ => true, StepLimit, cancellationToken);
        if (first.Buttons?.Any(b => b.ActionId.StartsWith("cancel-run:", StringComparison.Ordinal)) != true)
        {
            throw new InvalidOperationException($"Expected the run's progress message, got: {first.Text}");
        }

        var done = await stream.NextAsync(Channel, id, m => m.Id == first.Id && m.Text.Contains("*dev* is up", StringComparison.Ordinal), StepLimit, cancellationToken);
        var result = (Stopwatch.GetElapsedTime(started, acceptedAt), Stopwatch.GetElapsedTime(started, first.ArrivedAt), Stopwatch.GetElapsedTime(started, done.ArrivedAt));

        var (haltId, _) = await bot.PostAsync(Channel, User, "/env halt dev", cancellationToken);
        var prompt = await stream.NextAsync(Channel, haltId, m => m.Buttons?.Any(b => b.ActionId.StartsWith("confirm:", StringComparison.Ordinal)) == true, StepLimit, cancellationToken);
        await bot.PressAsync(Channel, User, prompt.Id, prompt.Buttons!.First(b => b.ActionId.StartsWith("confirm:", StringComparison.Ordinal)).ActionId, cancellationToken);
        await stream.NextAsync(Channel, haltId, m => m.Id == prompt.Id && m.Text.Contains("*dev* is halted", StringComparison.Ordinal), StepLimit, cancellationToken);
        return result;
    }
}
