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

    public Task PublishAsync(Alert alert, CancellationToken cancellationToken) => PublishAsync([alert], edit: true, cancellationToken);

    /// <param name="alert">The state to show.</param>
    /// <param name="edit">False to queue only what is missing (posts, thread replies) and leave sent messages alone.</param>
    /// <param name="cancellationToken">Cancels the outbox writes.</param>
    public Task PublishAsync(Alert alert, bool edit, CancellationToken cancellationToken) => PublishAsync([alert], edit, cancellationToken);

    /// <summary>
    /// Publishes several states, in the order given (one alert may come more than once, each state after the one
    /// before): each group is read once, after the states were written, and its lead is edited once at the end.
    /// </summary>
    public async Task PublishAsync(IReadOnlyList<Alert> alerts, bool edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        // A state held back by a silence has nothing posted for its generation.
        var shown = alerts.Where(a => a.Announced == a.Generation).ToList();
        var now = time.GetUtcNow();
        var groups = new Dictionary<string, AlertGroup>(StringComparer.Ordinal);
        foreach (var name in shown.Select(a => a.Group).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal))
        {
            groups[name] = await store.GroupAsync(name, cancellationToken);
        }

        // Each alert's posts are queued before the next alert's (the outbox stores them in call order), so a burst
        // shows in the order it came while the writes share commits instead of waiting for each other.
        await Task.WhenAll(shown.Select(alert => PublishOneAsync(alert, edit, groups.GetValueOrDefault(alert.Group), now, cancellationToken)).ToList());
        if (!edit)
        {
            return;
        }

        // Edits of one message coalesce in the outbox, so a burst into one group costs the lead one edit, not one each.
        var edited = new HashSet<long>();
        foreach (var alert in shown)
        {
            if (groups.GetValueOrDefault(alert.Group) is { } group && OtherToEdit(alert, group) is { } id && edited.Add(id))
            {
                await EditAsync(id, group, now, cancellationToken);
            }
        }
    }

    private async Task PublishOneAsync(Alert alert, bool edit, AlertGroup? group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var message = AlertFormatter.Render(alert, now, group);
        var destinations = routing.DestinationsOf(alert);
        // Started together, so they are queued in this order before anything is awaited.
        var posts = destinations.Select(d => outbox.EnqueuePostAsync(PostKey(alert, d), d, message, digestAs: "alert", cancellationToken: cancellationToken)).ToList();
        for (var d = 0; d < destinations.Count; d++)
        {
            var destination = destinations[d];
            var key = PostKey(alert, destination);
            if (!await posts[d] && edit)
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
    }

    /// <summary>The other message of <paramref name="group"/> whose listing <paramref name="alert"/>'s change alters, if any.</summary>
    private static long? OtherToEdit(Alert alert, AlertGroup group)
    {
        if (group.Lead is not { } lead)
        {
            return null;
        }

        if (lead != alert.Id)
        {
            return lead;
        }

        // An older alert fired again and now leads: the former lead (the next oldest) stops listing the group.
        return group.OpenCount > 1 && group.Oldest.Count > 1 && alert.Generation > 1 && FirstOfGeneration(alert) == alert.History.Count - 1
            ? group.Oldest[1].Id
            : null;
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
