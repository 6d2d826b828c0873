using System.Globalization;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// Puts an alert's state into the outbox: one post per generation and destination, edited on every
/// change, with each history entry as a thread reply. Every key derives from stored state, so
/// publishing the same state again (after a crash, or twice) queues nothing new. The lead of a group
/// (its oldest open alert) lists the group, so a member's change also edits the lead's message.
/// </summary>
public sealed class AlertPublisher(IChatOutbox outbox, AlertStore store, AlertRouting routing, TimeProvider time)
{
    public static string PostKey(Alert alert, ChatDestination destination)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(destination);
        return $"alert:{alert.Fingerprint}:fired-{alert.Generation.ToString(CultureInfo.InvariantCulture)}:{destination}";
    }

    public Task PublishAsync(Alert alert, CancellationToken cancellationToken) => PublishAsync(alert, edit: true, cancellationToken);

    /// <param name="alert">The state to show.</param>
    /// <param name="edit">False to queue only what is missing (posts, thread replies) and leave sent messages alone.</param>
    /// <param name="cancellationToken">Cancels the outbox writes.</param>
    public async Task PublishAsync(Alert alert, bool edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Announced != alert.Generation)
        {
            return; // held back by a silence: nothing has been posted for this generation
        }

        var now = time.GetUtcNow();
        var group = alert.Group.Length > 0 ? await store.GroupAsync(alert.Group, cancellationToken) : null;
        var message = AlertFormatter.Render(alert, now, group);
        foreach (var destination in routing.DestinationsOf(alert))
        {
            var key = PostKey(alert, destination);
            if (!await outbox.EnqueuePostAsync(key, destination, message, digestAs: "alert", cancellationToken: cancellationToken) && edit)
            {
                await outbox.EnqueueUpdateAsync(key, destination, message, cancellationToken);
            }

            // The thread holds what happened since the firing (which the message itself shows, so a burst of
            // new alerts costs one post each, and those may be digested); earlier entries belong to earlier messages.
            var first = FirstOfGeneration(alert) + 1;
            for (var i = first; i < alert.History.Count; i++)
            {
                await outbox.EnqueuePostAsync($"{key}:h{i.ToString(CultureInfo.InvariantCulture)}", destination,
                    AlertFormatter.Detail(alert, alert.History[i]), threadOfKey: key, cancellationToken: cancellationToken);
            }
        }

        if (!edit || group?.Lead is not { } lead)
        {
            return;
        }

        if (lead != alert.Id)
        {
            // Edits of one message coalesce in the outbox, so a burst into one group costs the lead a few edits, not one each.
            await EditAsync(lead, group, now, cancellationToken);
        }
        else if (group.OpenCount > 1 && group.Oldest.Count > 1 && alert.Generation > 1 && FirstOfGeneration(alert) == alert.History.Count - 1)
        {
            // An older alert fired again and now leads: the former lead (the next oldest) stops listing the group.
            await EditAsync(group.Oldest[1].Id, group, now, cancellationToken);
        }
    }

    private async Task EditAsync(long id, AlertGroup group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is { } alert && alert.Announced == alert.Generation)
        {
            var shown = AlertFormatter.Render(alert, now, group);
            foreach (var destination in routing.DestinationsOf(alert))
            {
                await outbox.EnqueueUpdateAsync(PostKey(alert, destination), destination, shown, cancellationToken);
            }
        }
    }

    /// <summary>Posts an escalation under the alert's message on every destination, mentioning whom to notify on that platform.</summary>
    public async Task EscalateAsync(Alert alert, int step, string who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var now = time.GetUtcNow();
        foreach (var destination in routing.DestinationsOf(alert))
        {
            var key = PostKey(alert, destination);
            var mention = routing.Mention(who, destination.Platform, now);
            await outbox.EnqueuePostAsync($"{key}:esc{step.ToString(CultureInfo.InvariantCulture)}", destination,
                OutgoingMessage.Plain($"📟 {mention}: alert #{alert.Id} *{alert.Title}* has been firing for {AlertFormatter.Span(now - alert.StartsAt)} without an acknowledgement."),
                threadOfKey: key, cancellationToken: cancellationToken);
        }
    }

    /// <summary>A notice in the alert channels (mutes, source health); <paramref name="key"/> makes it once-only.</summary>
    public async Task NoticeAsync(string key, string text, IReadOnlyList<ChatDestination> destinations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        foreach (var destination in destinations)
        {
            await outbox.EnqueuePostAsync($"{key}:{destination}", destination, OutgoingMessage.Plain(text), cancellationToken: cancellationToken);
        }
    }

    private static int FirstOfGeneration(Alert alert)
    {
        for (var i = alert.History.Count - 1; i >= 0; i--)
        {
            if (alert.History[i].What.StartsWith("fired", StringComparison.Ordinal))
            {
                return i;
            }
        }

        return 0;
    }
}
