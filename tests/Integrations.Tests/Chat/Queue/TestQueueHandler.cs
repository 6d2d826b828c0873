using System.Collections.Concurrent;
using ChatOps.Integrations.Chat.Queue;

namespace ChatOps.Integrations.Tests.Chat.Queue;

/// <summary>
/// Records what it is handed and completes it in the store. A payload that is <see cref="Hold"/>-ed waits until it
/// is released; one starting with <c>flaky</c> fails its first attempt and is retried with backoff.
/// </summary>
internal sealed class TestQueueHandler(TestQueueStore store, TimeProvider time) : IQueueHandler<string, TestWork>
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new();
    private readonly ConcurrentDictionary<string, int> _running = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new();
    private readonly ConcurrentQueue<string> _started = new();
    private readonly ConcurrentQueue<string> _finished = new();
    private readonly ConcurrentQueue<string> _abandoned = new();
    private int _mostLanesAtOnce;
    private int _mostInOneLane;

    public IReadOnlyList<string> Started => [.. _started];

    public IReadOnlyList<string> Finished => [.. _finished];

    public IReadOnlyList<string> Abandoned => [.. _abandoned];

    /// <summary>The most items of one lane ever handled at the same time.</summary>
    public int MostInOneLane => Volatile.Read(ref _mostInOneLane);

    /// <summary>The most lanes ever handled at the same time.</summary>
    public int MostLanesAtOnce => Volatile.Read(ref _mostLanesAtOnce);

    public void Hold(string payload) => _held[payload] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string payload) => _held[payload].TrySetResult();

    /// <summary>Gives <paramref name="lane"/> no turn before <paramref name="until"/>, as a rate limit would.</summary>
    public void Pause(string lane, DateTimeOffset until) => _pausedUntil[lane] = until;

    public Task<LaneTurns> TakeTurnsAsync(string lane, int wanted, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(_pausedUntil.TryGetValue(lane, out var until) && until > now ? new LaneTurns(0, until) : new LaneTurns(wanted, null));

    public async Task AbandonAsync(TestWork work, CancellationToken cancellationToken)
    {
        _abandoned.Enqueue(work.Payload);
        await store.FinishAsync(work, "abandoned", time.GetUtcNow(), cancellationToken);
    }

    public async Task HandleAsync(TestWork work, CancellationToken cancellationToken)
    {
        _started.Enqueue(work.Payload);
        var inLane = _running.AddOrUpdate(work.Lane, 1, (_, n) => n + 1);
        Raise(ref _mostInOneLane, inLane);
        Raise(ref _mostLanesAtOnce, _running.Count(r => r.Value > 0));
        try
        {
            if (_held.TryGetValue(work.Payload, out var held))
            {
                await held.Task.WaitAsync(cancellationToken);
            }

            if (work.Payload.StartsWith("flaky", StringComparison.Ordinal) && work.Attempt == 1)
            {
                await store.RetryLaterAsync(work, time.GetUtcNow() + Backoff.After(work.Attempt, InitialBackoff, TimeSpan.FromMinutes(1)), cancellationToken);
                return;
            }

            await store.FinishAsync(work, "done", time.GetUtcNow(), cancellationToken);
            _finished.Enqueue(work.Payload);
        }
        finally
        {
            _running.AddOrUpdate(work.Lane, 0, (_, n) => n - 1);
        }
    }

    private static void Raise(ref int most, int seen)
    {
        int current;
        while (seen > (current = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, seen, current) != current)
        {
        }
    }
}
