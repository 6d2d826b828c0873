using System.Globalization;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Audit;

/// <summary>
/// At start and every <see cref="AuditOptions.PublishInterval"/>, verifies the trail and, when its head
/// moved, publishes it: to the log, to the head file and to <see cref="AuditOptions.HeadChannel"/>. A
/// head in the channel is out of reach of whoever can write the database and the bot's files, so an
/// auditor compares the trail with it (<c>audit verify --head count:hash</c>). A trail that no longer
/// verifies is never published as good: it is reported instead, once per break.
/// </summary>
internal sealed class AuditHeadPublisher(
    AuditTrail trail,
    AuditHeadLog heads,
    IChatOutbox outbox,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditHeadPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PublishInterval, time);
        do
        {
            try
            {
                await PublishAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.PublishFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The most the last publish may take on the way down, so it never holds up a stop.</summary>
    public static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Publishes once more on the way down, so what was audited since the last interval is pinned too. Best
    /// effort: bounded by <see cref="StopBudget"/> and by the host's own stop deadline, and never failing the
    /// stop: the next start publishes whatever this one could not.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var budget = new CancellationTokenSource(StopBudget, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            await PublishAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            Log.PublishAtStopAbandoned(logger);
        }
        catch (Exception e)
        {
            Log.PublishFailed(logger, e);
        }
    }

    /// <summary>Publishes the head if it changed since the last one published; returns it, or null when nothing was published.</summary>
    public async Task<AuditHead?> PublishAsync(CancellationToken cancellationToken)
    {
        await trail.EnsureKeyedAsync(cancellationToken);
        var result = await trail.VerifyAsync(null, cancellationToken);
        var channel = Channel();
        if (!result.Valid)
        {
            Log.TrailBroken(logger, result.BrokenAt, result.Reason);
            if (channel is not null)
            {
                await outbox.EnqueuePostAsync(string.Create(CultureInfo.InvariantCulture, $"audit-broken:{result.BrokenAt}"), channel,
                    OutgoingMessage.Plain($"🚨 The audit trail does not verify at record {result.BrokenAt}: {result.Reason}."), cancellationToken: cancellationToken);
            }

            return null;
        }

        if (result.Head is not { } head || await LastPublishedAsync(cancellationToken) == head)
        {
            return null;
        }

        await heads.AppendAsync(head, time.GetUtcNow(), cancellationToken);
        Log.HeadPublished(logger, head.Count, head.Hash);
        if (channel is not null)
        {
            await outbox.EnqueuePostAsync($"audit-head:{head}", channel, OutgoingMessage.Plain(
                $"🧾 Audit head: {head.Count} records, newest hash `{head.Hash}`. To check the trail against it later: " +
                $"`audit verify --head {head}`."), cancellationToken: cancellationToken);
        }

        return head;
    }

    private async Task<AuditHead?> LastPublishedAsync(CancellationToken cancellationToken)
    {
        var published = await heads.ReadAsync(cancellationToken);
        return published.Count == 0 ? null : published[^1].Head;
    }

    private ChatDestination? Channel()
    {
        var text = options.Value.HeadChannel;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : new ChatDestination(text[..colon], text[(colon + 1)..]);
    }
}
