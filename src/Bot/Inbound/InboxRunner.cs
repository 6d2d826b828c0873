using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Queue;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// The host's side of the inbox: what its <see cref="QueueWorker{TLane, TWork}"/> hands each kept delivery to, once the
/// <see cref="ReadinessGate"/> opens, also after a restart. Messages from one person in one channel are handled in order;
/// different people in parallel. A delivery cut short by a crash is not run again: its sender is told so, once.
/// </summary>
internal sealed class InboxRunner(
    InboxStore store,
    IInboxHandler handler,
    ChatReplies replies,
    ReadinessGate readiness,
    ILogger<InboxRunner> logger) : IQueueHandler<string, InboxItem>
{
    private const int MaxQuotedLength = 200;

    /// <summary>The key of the "I restarted while handling that" answer to delivery <paramref name="deliveryId"/>.</summary>
    public static string RestartedKey(string deliveryId) => $"restarted:{deliveryId}";

    public Task StartingAsync(CancellationToken cancellationToken) => readiness.WaitAsync(cancellationToken);

    public async Task HandleAsync(InboxItem work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            if (work.Request is { } request)
            {
                await handler.HandleAsync(request, cancellationToken);
            }
            else if (work.Action is { } action)
            {
                await handler.HandleAsync(action, cancellationToken);
            }
            else
            {
                Log.Unreadable(logger, work.DeliveryId);
            }

            // Not cancelled by a shutdown: it did finish, and saying otherwise would tell its sender it was cut short.
            await store.FinishAsync(work.Seq, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The handler is the edge for one message: log it and go on with the next. It ran, so it is done.
            // Stopped mid-way by a shutdown instead, it stays started: the next start tells its sender.
            Log.HandlingFailed(logger, work.Lane, e);
            await FinishAfterFailureAsync(work);
        }
    }

    /// <summary>A delivery whose handling had started when the bot last stopped: its sender is told, and it is closed.</summary>
    public async Task AbandonAsync(InboxItem work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (await replies.AnsweredAsync(work.DeliveryId, cancellationToken))
        {
            // It ran to its end and said so; only recording that was cut short.
            await store.FinishAsync(work.Seq, cancellationToken);
            return;
        }

        Log.Interrupted(logger, work.DeliveryId);
        if (!work.IsReadable)
        {
            // Nobody to tell: it is closed all the same.
            await store.MarkInterruptedAsync(work.Seq, cancellationToken);
            return;
        }

        // The answer is keyed by the delivery: a crash between these two lines cannot post it twice.
        await replies.ReplyAsync(RestartedKey(work.DeliveryId), work.Destination, OutgoingMessage.Plain(InterruptedText(work)), work.ThreadOf, cancellationToken);
        await store.MarkInterruptedAsync(work.Seq, cancellationToken);
    }

    /// <summary>What the sender of a delivery cut short by a restart is told.</summary>
    public static string InterruptedText(InboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var quoted = item.Summary.Length > MaxQuotedLength ? item.Summary[..MaxQuotedLength] + "…" : item.Summary;
        return $"{item.User.Name}: I restarted while handling \"{quoted}\", so I don't know whether it finished, and I won't run it again by myself. "
            + "Check `/env status <env>` or `/env history` before trying again.";
    }

    private async Task FinishAfterFailureAsync(InboxItem item)
    {
        try
        {
            await store.FinishAsync(item.Seq, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Left started: after a restart its sender hears it may not have finished, which is true.
            Log.FinishFailed(logger, item.DeliveryId, e);
        }
    }
}
