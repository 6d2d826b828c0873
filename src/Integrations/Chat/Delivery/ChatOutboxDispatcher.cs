using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Delivery;

/// <summary>
/// Sends what the outbox holds: per destination, claims the oldest due row while the destination's
/// token bucket allows, sends it through <see cref="ChatSenders"/> and records the result; when the
/// bucket is empty and mergeable posts pile up, merges them into a digest. Destinations run side by
/// side, rows of one destination one at a time, so edits follow their posts. Every message goes out
/// stamped with its row's key, and a post whose earlier attempt may have reached the platform is looked
/// up by that key before it is posted again.
/// </summary>
internal sealed class ChatOutboxDispatcher(
    OutboxStore store,
    DestinationLimiter limiter,
    OutboxSignal signal,
    ChatSenders senders,
    IOptions<ChatDeliveryOptions> options,
    TimeProvider time,
    ILogger<ChatOutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<ChatDestination, Task> _inFlight = new();
    private readonly ConcurrentDictionary<ChatDestination, DateTimeOffset> _budgetAt = new();
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    private ChatDeliveryOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ReleaseLeftClaimsAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                // Armed before the round, so a message enqueued (or a destination finishing) during the
                // round wakes the next one at once.
                var wake = signal.Arm();
                TimeSpan sleep;
                try
                {
                    await StartRoundAsync(stoppingToken);
                    var next = await NextWakeAsync(stoppingToken);
                    var untilDue = next is { } due ? due - time.GetUtcNow() : Options.IdleInterval;
                    sleep = TimeSpan.FromTicks(Math.Clamp(untilDue.Ticks, 0, Options.IdleInterval.Ticks));
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // The loop is the edge: a failed round (database busy, disk full) is logged and tried again.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    sleep = Options.IdleInterval;
                    Log.RoundFailed(logger, exception, sleep);
                }

                if (sleep > TimeSpan.Zero)
                {
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    await Task.WhenAny(wake, Task.Delay(sleep, time, stop.Token));
                    await stop.CancelAsync();
                }
            }
        }
        finally
        {
            // Sends cut short by shutdown keep their claims; waiting here only lets them record what finished.
            await Task.WhenAll(_inFlight.Values).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// One process owns the state store, so a claim still held when this one starts was left by a process that was
    /// killed mid-send. Its message goes out now rather than when the lease would have passed (minutes in which a
    /// run's message and every edit queued behind it would stand still); resending is safe, since a post whose answer
    /// was lost is looked up, not repeated.
    /// </summary>
    private async Task ReleaseLeftClaimsAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await store.ReleaseClaimsAsync(time.GetUtcNow(), cancellationToken) is var released and > 0)
            {
                Log.ClaimsReleased(logger, released);
            }
        }
#pragma warning disable CA1031 // Only an optimisation: the leases still pass on their own.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.RoundFailed(logger, exception, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// One dispatch round over every destination with due work, waiting until each has run out of work or
    /// budget. Returns when the next round is useful.
    /// </summary>
    public async Task<DateTimeOffset?> RunOnceAsync(CancellationToken cancellationToken)
    {
        await StartRoundAsync(cancellationToken);
        await Task.WhenAll(_inFlight.Values);
        return await NextWakeAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a dispatch for each destination with due work that is not already being served, without
    /// waiting for it: a destination whose sends are slow (its adapter pacing, a stuck call) does not
    /// hold up the others.
    /// </summary>
    private async Task StartRoundAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now >= _nextPurge)
        {
            _nextPurge = now + PurgeInterval;
            var purged = await store.PurgeAsync(now - Options.Retention, cancellationToken);
            if (purged > 0)
            {
                Log.Purged(logger, purged, Options.Retention);
            }
        }

        foreach (var destination in await store.DestinationsWithDueWorkAsync(now, cancellationToken))
        {
            if (_inFlight.ContainsKey(destination))
            {
                continue;
            }

            // Registered before it runs, so its own removal can never precede its registration.
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight[destination] = ServeAsync(destination, registered.Task, cancellationToken);
            registered.SetResult();
        }
    }

    private async Task ServeAsync(ChatDestination destination, Task registered, CancellationToken cancellationToken)
    {
        await registered;
        var news = false;
        try
        {
            var (sent, budgetAt) = await DispatchAsync(destination, cancellationToken);
            news = RememberBudget(destination, budgetAt) || sent > 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Nobody awaits this in the hosted loop: log here, the next round tries again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.RoundFailed(logger, exception, Options.IdleInterval);
        }
        finally
        {
            _inFlight.TryRemove(destination, out _);
        }

        // Only news wakes the loop; a destination that found no budget again must not spin it.
        if (news)
        {
            signal.Notify();
        }
    }

    /// <summary>Notes when a destination's budget returns; true when that changed.</summary>
    private bool RememberBudget(ChatDestination destination, DateTimeOffset? budgetAt)
    {
        if (budgetAt is not { } at)
        {
            return _budgetAt.TryRemove(destination, out _);
        }

        var changed = !_budgetAt.TryGetValue(destination, out var previous) || previous != at;
        _budgetAt[destination] = at;
        return changed;
    }

    /// <summary>The earliest of: a row becoming due, a claim expiring, a destination with work regaining budget.</summary>
    private async Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var next = await store.NextDueAsync(now, cancellationToken);
        foreach (var (destination, at) in _budgetAt)
        {
            if (at <= now)
            {
                // Past: the round that starts now (or already ran) serves it; keeping it would spin the loop.
                _budgetAt.TryRemove(destination, out _);
            }
            else if (next is null || at < next)
            {
                next = at;
            }
        }

        return next;
    }

    /// <summary>
    /// Sends one destination's due rows while its budget lasts. Returns how many went out and, if the budget
    /// ran out first, when it returns.
    /// </summary>
    private async Task<(int Sent, DateTimeOffset? BudgetAt)> DispatchAsync(ChatDestination destination, CancellationToken cancellationToken)
    {
        var bucket = limiter.For(destination);
        var sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (!bucket.TryTake(now))
            {
                await MergeAsync(destination, now, cancellationToken);
                return (sent, bucket.NextTokenAt(now));
            }

            var work = await store.ClaimNextAsync(destination, now, Options.ClaimLease, cancellationToken);
            if (work is null)
            {
                bucket.Refund();
                return (sent, null);
            }

            await SendAsync(work, bucket, cancellationToken);
            sent++;
        }

        return (sent, null);
    }

    private async Task MergeAsync(ChatDestination destination, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (await store.DigestAsync(destination, now, Options, cancellationToken) is { } digest)
        {
            Log.Digested(logger, digest.Added, destination, digest.Key);
        }
    }

    private async Task SendAsync(OutboxWork work, TokenBucket bucket, CancellationToken cancellationToken)
    {
        if (work.AbandonedAttemptAt is { } abandoned)
        {
            Log.AbandonedClaimRecovered(logger, work.Kind, work.Key, work.Destination, abandoned);
        }

        if (work is { Kind: OutboxWorkKind.Edit, TargetFailed: true })
        {
            bucket.Refund();
            await FailAsync(work, "the message it edits was never delivered", cancellationToken);
            return;
        }

        IChatSender sender;
        try
        {
            sender = senders.For(work.Destination);
        }
        catch (InvalidOperationException exception)
        {
            // No adapter for this platform is configured: no retry can help.
            await FailAsync(work, exception.Message, cancellationToken);
            return;
        }

        // Stamped at send time, not stored: the platform carries the key so this post can be found again.
        var message = work.Message with { DeliveryKey = work.Key };
        string? messageId;
        try
        {
            using var timeout = new CancellationTokenSource(Options.SendTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            if (work is { Kind: OutboxWorkKind.Edit, TargetMessageId: { } target })
            {
                await sender.UpdateAsync(work.Destination, target, message, linked.Token);
                messageId = null;
            }
            else
            {
                // Posts, digests, and edits of a post that only went out inside a digest (posted under it).
                messageId = await FindEarlierPostAsync(work, sender, message, linked.Token)
                    ?? await sender.PostAsync(work.Destination, message, work.ThreadOf, linked.Token);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-send: whether the platform took it is unknown, so the claim stays and
            // the row is sent again once its lease has passed.
            throw;
        }
#pragma warning disable CA1031 // Any send failure is recorded on the row; nothing escapes to the other destinations.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await HandleFailureAsync(work, bucket, exception, cancellationToken);
            return;
        }

        // Recorded even when shutdown is under way: the shorter the gap between "accepted" and
        // "recorded", the smaller the chance that a restart sends it again.
        if (await store.CompleteAsync(work, messageId, time.GetUtcNow(), CancellationToken.None))
        {
            Log.Delivered(logger, work.Kind, work.Key, work.Destination, messageId ?? work.TargetMessageId ?? "");
        }
        else
        {
            Log.LeaseLost(logger, work.Kind, work.Key, work.Destination);
        }
    }

    /// <summary>
    /// For a post whose earlier attempt may have reached the platform (its claim was abandoned, or the
    /// attempt failed without saying whether the platform took it), asks the platform for a message
    /// carrying this post's key. Found: it is brought up to the current content (an edit folded into a
    /// post waiting for its retry would otherwise be lost) and its id is recorded, with no new post.
    /// A lookup the platform cannot answer for a while (rate limit, outage) throws and the row is retried
    /// later like a failed send: posting blindly is what duplicates messages. A lookup that can never
    /// succeed (scope not granted, destination not readable) falls back to posting, logged: a message
    /// that may show twice is better than one never shown.
    /// </summary>
    private async Task<string?> FindEarlierPostAsync(OutboxWork work, IChatSender sender, OutgoingMessage message, CancellationToken cancellationToken)
    {
        // A post the platform cannot find again (a Slack ephemeral answer) is posted again: after a crash between
        // "accepted" and "recorded" its reader may see it twice, or, if the retry fails for good, never.
        if (work.PreviousAttemptAt is not { } previous || sender is not IChatPostLookup lookup || !lookup.CanFind(message))
        {
            return null;
        }

        string? found;
        try
        {
            found = await lookup.FindPostAsync(work.Destination, work.Key, work.ThreadOf, work.QueuedAt, cancellationToken);
        }
        catch (Exception exception) when ((exception as IChatSendFailure ?? exception.InnerException as IChatSendFailure) is { IsPermanent: true })
        {
            Log.LookupUnavailable(logger, exception, work.Kind, work.Key, work.Destination);
            return null;
        }

        if (found is null)
        {
            Log.EarlierPostNotFound(logger, work.Kind, work.Key, work.Destination, previous);
            return null;
        }

        await sender.UpdateAsync(work.Destination, found, message, cancellationToken);
        Log.EarlierPostFound(logger, work.Kind, work.Key, work.Destination, found, previous);
        return found;
    }

    private async Task HandleFailureAsync(OutboxWork work, TokenBucket bucket, Exception exception, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var failure = exception as IChatSendFailure ?? exception.InnerException as IChatSendFailure;
        if (failure is { IsPermanent: true })
        {
            await FailAsync(work, exception.Message, cancellationToken);
            return;
        }

        if (failure?.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            // The platform's wait applies to the whole destination, not only to this row.
            bucket.PauseUntil(now + retryAfter);
            Log.RetryAfter(logger, work.Destination, retryAfter, work.Kind, work.Key);
            await store.RetryLaterAsync(work, now + retryAfter, countAttempt: false, exception.Message, cancellationToken);
            return;
        }

        if (work.Attempt >= Options.MaxAttempts)
        {
            await FailAsync(work, exception.Message, cancellationToken);
            return;
        }

        var delay = Backoff(work.Attempt);
        Log.TransientFailure(logger, exception, work.Kind, work.Key, work.Destination, work.Attempt, delay);
        await store.RetryLaterAsync(work, now + delay, countAttempt: true, exception.Message, cancellationToken);
    }

    private async Task FailAsync(OutboxWork work, string reason, CancellationToken cancellationToken)
    {
        Log.DeliveryFailed(logger, work.Kind, work.Key, work.Destination, work.Attempt, reason);
        await store.FailAsync(work, reason, cancellationToken);
    }

    private TimeSpan Backoff(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = Options.InitialBackoff * factor;
        return delay > Options.MaxBackoff ? Options.MaxBackoff : delay;
    }
}
