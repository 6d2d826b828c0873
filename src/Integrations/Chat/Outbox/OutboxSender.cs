using ChatOps.Integrations.Chat.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// What the outbox's <see cref="QueueWorker{TLane, TWork}"/> hands its claimed rows to: paces each destination with this
/// replica's share of its budget and the pauses every replica records (<see cref="DestinationLimiter"/>; when no budget
/// is left and mergeable posts pile up, merges them into a digest), sends through <see cref="ChatSenders"/> and records
/// the result. Every message goes out stamped with its row's key, and a post whose earlier attempt may have reached the
/// platform is looked up by that key before it is posted again.
/// </summary>
internal sealed class OutboxSender(
    OutboxStore store,
    DestinationLimiter limiter,
    ChatSenders senders,
    IOptions<ChatDeliveryOptions> options,
    TimeProvider time,
    ILogger<OutboxSender> logger) : IQueueHandler<ChatDestination, OutboxWork>
{
    private ChatDeliveryOptions Options => options.Value;

    /// <summary>How the outbox's worker runs, from <c>ChatDelivery:*</c>: destinations side by side without limit, rows of one in order.</summary>
    public static QueueSettings Settings(ChatDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new QueueSettings
        {
            Name = "outbox",
            ClaimLease = options.ClaimLease,
            IdleInterval = options.IdleInterval,
            FailureDelay = options.IdleInterval,
            Retention = options.Retention,
            ClaimBatch = ClaimBatch,
        };
    }

    /// <summary>
    /// The most posts and edits of one destination claimed (and so paid for with one commit) together. Within the
    /// destination's budget only: a paced platform gets what its bucket holds, and what a pause stops is given back.
    /// </summary>
    public const int ClaimBatch = 16;

    public async Task<LaneTurns> TakeTurnsAsync(ChatDestination lane, int wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var turns = await limiter.TakeTurnsAsync(lane, wanted, now, cancellationToken);
        if (turns.Granted == 0)
        {
            await MergeAsync(lane, now, cancellationToken);
        }

        return turns;
    }

    public void ReturnTurns(ChatDestination lane, int count) => limiter.For(lane).Refund(count);

    public Task HandleAsync(OutboxWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return HandleAllAsync([work], cancellationToken);
    }

    /// <summary>
    /// Sends one destination's claimed rows in order. Each delivery is recorded while the next is sent (the records share
    /// commits); all are recorded before this returns. Consecutive first attempts at top-level posts go to a platform
    /// that takes several at once (<see cref="IChatBatchPoster"/>) in one call. A row whose claim could run out during
    /// its send, or that a pause (Retry-After) now holds back, goes back unsent with the rows after it.
    /// </summary>
    public async Task HandleAllAsync(IReadOnlyList<OutboxWork> works, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(works);
        if (works.Count == 0)
        {
            return;
        }

        // One lane: every row goes to the same destination, so one budget and one sender serve them all.
        var bucket = limiter.For(works[0].Destination);
        var poster = BatchPosterFor(works[0].Destination);
        var recording = new List<Task>(works.Count);
        try
        {
            for (var i = 0; i < works.Count;)
            {
                var work = works[i];
                var now = time.GetUtcNow();
                var paused = bucket.IsPausedAt(now);
                if (i > 0 && (paused || now + Options.SendTimeout >= work.LeaseUntil))
                {
                    await store.ReleaseAsync([.. works.Skip(i)], paused ? bucket.NextTokenAt(now) : now, cancellationToken);
                    Log.ClaimsGivenBack(logger, works.Count - i, work.Destination, paused ? "a pause" : "their claim running out");
                    break;
                }

                if (poster is not null && works.Skip(i).TakeWhile(IsFirstTopLevelPost).ToList() is { Count: > 1 } run)
                {
                    await PostAllAsync(run, poster, recording, cancellationToken);
                    i += run.Count;
                }
                else
                {
                    await SendAsync(work, bucket, recording, cancellationToken);
                    i++;
                }
            }
        }
        finally
        {
            await Task.WhenAll(recording);
        }
    }

    /// <summary>A post or digest going out for the first time, not in a thread: nothing to look up, nothing to wait for.</summary>
    private static bool IsFirstTopLevelPost(OutboxWork work) =>
        work is { Kind: OutboxWorkKind.Post or OutboxWorkKind.Digest, ThreadOf: null, PreviousAttemptAt: null, AbandonedAttemptAt: null };

    private IChatBatchPoster? BatchPosterFor(ChatDestination destination)
    {
        try
        {
            return senders.For(destination) as IChatBatchPoster;
        }
        catch (InvalidOperationException)
        {
            // No adapter for the platform: each row fails on its own in SendAsync.
            return null;
        }
    }

    private async Task PostAllAsync(List<OutboxWork> run, IChatBatchPoster poster, List<Task> recording, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> messageIds;
        try
        {
            using var timeout = new CancellationTokenSource(Options.SendTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            messageIds = await poster.PostAllAsync(run[0].Destination, [.. run.Select(w => w.Message with { DeliveryKey = w.Key })], linked.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // All or none were posted: each row records the failure as if sent alone.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            foreach (var work in run)
            {
                await HandleFailureAsync(work, exception, cancellationToken);
            }

            return;
        }

        for (var i = 0; i < run.Count; i++)
        {
            recording.Add(RecordDeliveredAsync(run[i], messageIds[i]));
        }
    }

    private async Task MergeAsync(ChatDestination destination, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (await store.DigestAsync(destination, now, Options, cancellationToken) is { } digest)
        {
            Log.Digested(logger, digest.Added, destination, digest.Key);
        }
    }

    private async Task SendAsync(OutboxWork work, TokenBucket bucket, List<Task> recording, CancellationToken cancellationToken)
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
            await HandleFailureAsync(work, exception, cancellationToken);
            return;
        }

        recording.Add(RecordDeliveredAsync(work, messageId));
    }

    private async Task RecordDeliveredAsync(OutboxWork work, string? messageId)
    {
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

    private async Task HandleFailureAsync(OutboxWork work, Exception exception, CancellationToken cancellationToken)
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
            // The platform's wait applies to the whole destination (or platform), not only to this row, and to every replica.
            Log.RetryAfter(logger, work.Destination, retryAfter, work.Kind, work.Key);
            var until = await limiter.PauseAsync(work.Destination, retryAfter, failure.RetryAfterIsPlatformWide, now, cancellationToken);
            await store.RetryLaterAsync(work, until, countAttempt: false, exception.Message, cancellationToken);
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

    private TimeSpan Backoff(int attempt) => Queue.Backoff.After(attempt, Options.InitialBackoff, Options.MaxBackoff);
}
