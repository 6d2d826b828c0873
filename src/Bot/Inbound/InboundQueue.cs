using System.Collections.Concurrent;
using System.Threading.Channels;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Chat;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// Decouples answering a platform (at once: 202, or Slack's 3-second rule) from running the
/// command, without losing it: each delivery is kept in the <see cref="InboxStore"/> before the
/// platform is answered, and handed to the dispatcher once the <see cref="ReadinessGate"/> opens,
/// also after a restart. Bounded: when full, the endpoint says 503 rather than keeping without
/// limit. Messages from one person in one channel are handled in order; different people in
/// parallel. A delivery cut short by a crash is not run again: its sender is told so, once.
/// </summary>
public sealed class InboundQueue(
    InboxStore store,
    IInboundHandler handler,
    ChatReplies replies,
    ReadinessGate readiness,
    IOptions<InboxOptions> options,
    TimeProvider time,
    ILogger<InboundQueue> logger) : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private const int MaxQuotedLength = 200;

    // One pending signal is enough: the loop reads the store after every wake-up.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, byte> _busyLanes = new();
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    /// <summary>The key of the "I restarted while handling that" answer to delivery <paramref name="deliveryId"/>.</summary>
    public static string RestartedKey(string deliveryId) => $"restarted:{deliveryId}";

    /// <summary>Keeps <paramref name="request"/> durably; answer the platform only after this returns.</summary>
    public async Task<InboxAdmission> TryEnqueueAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var admission = await store.ReceiveAsync(request, options.Value.Capacity, cancellationToken);
        Wake();
        return admission;
    }

    /// <summary>
    /// Keeps <paramref name="request"/> in the caller's transaction, with what the caller writes beside it; call
    /// <see cref="Wake"/> once that transaction is committed (the worker would not see it before).
    /// </summary>
    public Task<InboxAdmission> TryEnqueueAsync(ChatRequest request, SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        store.ReceiveAsync(request, options.Value.Capacity, connection, transaction, cancellationToken);

    /// <summary>Keeps <paramref name="action"/> durably; answer the platform only after this returns.</summary>
    public async Task<InboxAdmission> TryEnqueueAsync(ChatAction action, CancellationToken cancellationToken)
    {
        var admission = await store.ReceiveAsync(action, options.Value.Capacity, cancellationToken);
        Wake();
        return admission;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WaitAsync(stoppingToken);
        var recovered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!recovered)
                {
                    await TellInterruptedAsync(stoppingToken);
                    recovered = true;
                    if (options.Value.Paused)
                    {
                        Log.InboxPaused(logger);
                        return;
                    }
                }

                await PruneIfDueAsync(stoppingToken);
                var free = options.Value.Parallelism - _busyLanes.Count;
                if (free > 0)
                {
                    foreach (var item in await store.StartNextAsync([.. _busyLanes.Keys], free, stoppingToken))
                    {
                        // Busy before the task exists, so a quick finish cannot leave the lane marked busy.
                        _busyLanes[item.Lane] = 0;
                        _ = Task.Run(() => RunAsync(item, stoppingToken), CancellationToken.None);
                    }
                }

                await _wake.Reader.ReadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The store is unreachable for now: kept deliveries wait, nothing is lost.
                Log.InboxFailed(logger, e);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    private async Task RunAsync(InboxItem item, CancellationToken stoppingToken)
    {
        try
        {
            if (item.Request is { } request)
            {
                await handler.HandleAsync(request, stoppingToken);
            }
            else if (item.Action is { } action)
            {
                await handler.HandleAsync(action, stoppingToken);
            }
            else
            {
                Log.Unreadable(logger, item.DeliveryId);
            }

            // Not cancelled by a shutdown: it did finish, and saying otherwise would tell its sender it was cut short.
            await store.FinishAsync(item.Seq, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The dispatcher is the edge for one message: log it and go on with the next. It ran, so it is done.
            Log.HandlingFailed(logger, item.Lane, e);
            await FinishAfterFailureAsync(item);
        }
        finally
        {
            // Stopped mid-way by a shutdown, it stays started: the next start tells its sender.
            _busyLanes.TryRemove(item.Lane, out _);
            Wake();
        }
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

    private async Task TellInterruptedAsync(CancellationToken cancellationToken)
    {
        foreach (var item in await store.ListStartedAsync(cancellationToken))
        {
            if (await replies.AnsweredAsync(item.DeliveryId, cancellationToken))
            {
                // It ran to its end and said so; only recording that was cut short.
                await store.FinishAsync(item.Seq, cancellationToken);
                continue;
            }

            Log.Interrupted(logger, item.DeliveryId);
            if (!item.IsReadable)
            {
                // Nobody to tell: it is closed all the same.
                await store.MarkInterruptedAsync(item.Seq, cancellationToken);
                continue;
            }

            // The answer is keyed by the delivery: a crash between these two lines cannot post it twice.
            await replies.ReplyAsync(RestartedKey(item.DeliveryId), item.Destination, OutgoingMessage.Plain(InterruptedText(item)), item.ThreadOf, cancellationToken);
            await store.MarkInterruptedAsync(item.Seq, cancellationToken);
        }
    }

    /// <summary>What the sender of a delivery cut short by a restart is told.</summary>
    public static string InterruptedText(InboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var quoted = item.Summary.Length > MaxQuotedLength ? item.Summary[..MaxQuotedLength] + "…" : item.Summary;
        return $"{item.User.Name}: I restarted while handling \"{quoted}\", so I don't know whether it finished, and I won't run it again by myself. "
            + "Check `/env status <env>` or `/env history` before trying again.";
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _prunedAt < PruneInterval)
        {
            return;
        }

        var pruned = await store.PruneAsync(options.Value.Retention, cancellationToken);
        _prunedAt = now;
        if (pruned > 0)
        {
            Log.Pruned(logger, pruned, now - options.Value.Retention);
        }
    }

    /// <summary>Tells the worker to look at the inbox again.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);
}
