using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ChatOps.Integrations.Storage.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Chat.Queue;

/// <summary>
/// Runs one durable queue: at start, deals with claims a stopped process left; then, in rounds, claims the due items
/// of each lane and hands them to the <see cref="IQueueHandler{TLane, TWork}"/>, one item of a lane at a time and
/// lanes side by side, so a slow lane holds up no other. It sleeps until something is written
/// (<see cref="QueueSignal{TWork}"/>: by this replica, or by another through a store notification), an item becomes due,
/// a paced lane may go on, or the idle interval passes (longer while <paramref name="notifications"/> are live: the poll is
/// then only a safety net); finished items are pruned once per <see cref="QueueSettings.PruneInterval"/>.
/// </summary>
internal sealed class QueueWorker<TLane, TWork>(
    IQueueStore<TLane, TWork> store,
    IQueueHandler<TLane, TWork> handler,
    QueueSignal<TWork> signal,
    QueueSettings settings,
    TimeProvider time,
    ILogger<QueueWorker<TLane, TWork>> logger,
    StoreNotifications? notifications = null) : BackgroundService
    where TLane : notnull
    where TWork : class
{
    private readonly ConcurrentDictionary<TLane, Task> _inFlight = new();
    private readonly ConcurrentDictionary<TLane, DateTimeOffset> _turnAt = new();
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;
    private DateTimeOffset _nextLeftClaims = DateTimeOffset.MaxValue;
    private volatile bool _lanesLeftWaiting;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await handler.StartingAsync(stoppingToken);
            if (!await ReleaseLeftClaimsAsync(starting: true, stoppingToken))
            {
                return;
            }

            if (settings.Paused)
            {
                Log.Paused(logger, settings.Name);
                return;
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                // Armed before the round, so work written (or a lane finishing) during the round wakes the next one at once.
                var wake = signal.Arm();
                TimeSpan sleep;
                try
                {
                    await StartRoundAsync(stoppingToken);
                    var next = await NextWakeAsync(stoppingToken);
                    var idle = notifications?.PollInterval(settings.IdleInterval) ?? settings.IdleInterval;
                    var untilDue = next is { } due ? due - time.GetUtcNow() : idle;
                    sleep = TimeSpan.FromTicks(Math.Clamp(untilDue.Ticks, 0, idle.Ticks));
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // The loop is the edge: a failed round (database busy, disk full) is logged and tried again; nothing kept is lost.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    sleep = settings.FailureDelay;
                    Log.RoundFailed(logger, exception, settings.Name, sleep);
                }

                if (sleep > TimeSpan.Zero)
                {
                    await SleepAsync(wake, sleep, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Work cut short by shutdown keeps its claim; waiting here only lets it record what finished.
            await Task.WhenAll(_inFlight.Values).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// One round over every lane with due work, waiting until each has run out of work or turns. Returns when the next
    /// round is useful. For tests and tools that drive the queue without the hosted loop.
    /// </summary>
    public async Task<DateTimeOffset?> RunOnceAsync(CancellationToken cancellationToken)
    {
        await StartRoundAsync(cancellationToken);
        await Task.WhenAll(_inFlight.Values);
        return await NextWakeAsync(cancellationToken);
    }

    /// <summary>Tried until it succeeds: nothing may be claimed while an abandoned item is still open. False when stopping.</summary>
    private async Task<bool> ReleaseLeftClaimsAsync(bool starting, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DealWithLeftClaimsAsync(starting, stoppingToken);
                return true;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.RoundFailed(logger, exception, settings.Name, settings.FailureDelay);
                await Task.Delay(settings.FailureDelay, time, stoppingToken);
            }
        }

        return false;
    }

    private async Task DealWithLeftClaimsAsync(bool starting, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var left = await store.ReleaseLeftClaimsAsync(now, starting, cancellationToken);
        if (left.Released > 0)
        {
            Log.ClaimsReleased(logger, left.Released, settings.Name);
        }

        foreach (var work in left.Abandoned)
        {
            await handler.AbandonAsync(work, cancellationToken);
        }

        _nextLeftClaims = settings.LeftClaimsInterval == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : now + settings.LeftClaimsInterval;
    }

    private async Task SleepAsync(Task wake, TimeSpan sleep, CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(wake, Task.Delay(sleep, time, stop.Token));
        await stop.CancelAsync();
    }

    /// <summary>
    /// Starts serving each lane with due work that is not served already, within <see cref="QueueSettings.MaxLanes"/>,
    /// without waiting for it.
    /// </summary>
    private async Task StartRoundAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now >= _nextPrune)
        {
            _nextPrune = now + settings.PruneInterval;
            var pruned = await store.PruneAsync(now - settings.Retention, cancellationToken);
            if (pruned > 0)
            {
                Log.Pruned(logger, pruned, settings.Name, settings.Retention);
            }
        }

        if (now >= _nextLeftClaims)
        {
            // Another replica may have died holding claims since the last look.
            await DealWithLeftClaimsAsync(starting: false, cancellationToken);
        }

        _lanesLeftWaiting = false;
        foreach (var lane in await store.DueLanesAsync(now, cancellationToken))
        {
            if (settings.MaxLanes is { } max && _inFlight.Count >= max)
            {
                // The lane finishing first wakes the next round.
                _lanesLeftWaiting = true;
                break;
            }

            if (_inFlight.ContainsKey(lane))
            {
                continue;
            }

            // Registered before it runs, so its own removal can never precede its registration.
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight[lane] = ServeAsync(lane, registered.Task, cancellationToken);
            registered.SetResult();
        }
    }

    private async Task ServeAsync(TLane lane, Task registered, CancellationToken cancellationToken)
    {
        await registered;
        var news = false;
        var seen = new StrongBox<long>(signal.Generation);
        try
        {
            var turnAt = await ServeLaneAsync(lane, seen, cancellationToken);
            news = RememberTurn(lane, turnAt);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Nobody awaits this in the hosted loop: log here, the next round tries again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.RoundFailed(logger, exception, settings.Name, settings.FailureDelay);
        }
        finally
        {
            _inFlight.TryRemove(lane, out _);
        }

        // Only news wakes the loop, and a lane that found no turn again must not spin it. News: its turns changed, lanes
        // were left waiting for a free place, or something was written after its last look (a round that ran meanwhile
        // skipped the lane as busy, so that work would otherwise wait for the idle poll).
        if (news || _lanesLeftWaiting || signal.Generation != seen.Value)
        {
            signal.Notify();
        }
    }

    /// <summary>
    /// Handles one lane's items, claimed up to <see cref="QueueSettings.ClaimBatch"/> at a time, while it has due ones and
    /// turns. Returns, if turns ran out first, when they return; <paramref name="seen"/> holds the signal's generation at
    /// its last look for work.
    /// </summary>
    private async Task<DateTimeOffset?> ServeLaneAsync(TLane lane, StrongBox<long> seen, CancellationToken cancellationToken)
    {
        for (var first = true; !cancellationToken.IsCancellationRequested; first = false)
        {
            var now = time.GetUtcNow();
            var turns = await handler.TakeTurnsAsync(lane, settings.ClaimBatch, now, cancellationToken);
            if (turns.Granted == 0)
            {
                return turns.ResumeAt;
            }

            seen.Value = signal.Generation;
            var claimed = await store.ClaimAsync(lane, turns.Granted, knownDue: first, now, settings.ClaimLease, cancellationToken);
            if (claimed.Count < turns.Granted)
            {
                handler.ReturnTurns(lane, turns.Granted - claimed.Count);
            }

            if (claimed.Count == 0)
            {
                return null;
            }

            await handler.HandleAllAsync(claimed, cancellationToken);
        }

        return null;
    }

    /// <summary>Notes when a lane's turns return; true when that changed.</summary>
    private bool RememberTurn(TLane lane, DateTimeOffset? turnAt)
    {
        if (turnAt is not { } at)
        {
            return _turnAt.TryRemove(lane, out _);
        }

        var changed = !_turnAt.TryGetValue(lane, out var previous) || previous != at;
        _turnAt[lane] = at;
        return changed;
    }

    /// <summary>The earliest of: an item becoming due, a lease passing, a paced lane with work getting its turn back.</summary>
    private async Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var next = await store.NextDueAsync(now, cancellationToken);
        if (_nextLeftClaims != DateTimeOffset.MaxValue && (next is null || _nextLeftClaims < next))
        {
            next = _nextLeftClaims;
        }

        foreach (var (lane, at) in _turnAt)
        {
            if (at <= now)
            {
                // Past: the round that starts now (or already ran) serves it; keeping it would spin the loop.
                _turnAt.TryRemove(lane, out _);
            }
            else if (next is null || at < next)
            {
                next = at;
            }
        }

        return next;
    }
}
