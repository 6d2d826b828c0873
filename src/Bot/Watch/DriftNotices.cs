using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;

namespace ChatOps.Bot.Watch;

/// <summary>
/// An incident's one message in each of its channels, through the outbox: posted when it opens, edited
/// when what is wrong changes and when it ends, so people see one notice per incident.
/// </summary>
internal sealed class DriftNotices(IChatOutbox outbox, TimeProvider time, ILogger<DriftNotices> logger)
{
    public Task OpenedAsync(DriftIncident incident, CancellationToken cancellationToken) =>
        SendAsync(incident, Degraded(incident, time.GetUtcNow()), cancellationToken);

    public Task ChangedAsync(DriftIncident incident, CancellationToken cancellationToken) =>
        SendAsync(incident, Degraded(incident, time.GetUtcNow()), cancellationToken);

    public Task RecoveredAsync(DriftIncident incident, CancellationToken cancellationToken)
    {
        var nodes = incident.Problems.Select(p => p.Node).Distinct(StringComparer.Ordinal).ToList();
        var back = nodes.Count == 1 ? $"{nodes[0]} is back" : $"{Join(nodes)} are back";
        var text = $"✅ *{incident.Environment}* recovered: {back} (degraded for {RunWording.Duration(time.GetUtcNow() - incident.StartedAt)})";
        return SendAsync(incident, text, cancellationToken);
    }

    /// <summary>A run changed the environment (halted it, say) while it was degraded: the incident ends without a recovery.</summary>
    public Task EndedByRunAsync(DriftIncident incident, string byRun, CancellationToken cancellationToken) =>
        SendAsync(incident, $"ℹ️ *{incident.Environment}* was degraded ({Describe(incident.Problems, null)}); no longer watched after {byRun}", cancellationToken);

    /// <summary>"*test* degraded: web1 stopped responding 40 seconds ago".</summary>
    internal static string Degraded(DriftIncident incident, DateTimeOffset now) =>
        $"⚠️ *{incident.Environment}* degraded: {Describe(incident.Problems, now)}";

    private static string Describe(IReadOnlyList<NodeProblem> problems, DateTimeOffset? now) =>
        string.Join("; ", problems.Select(p => p.Since is { } since && now is { } at ? $"{p.Node} {p.What} {RunWording.Ago(since, at)}" : $"{p.Node} {p.What}"));

    private static string Join(List<string> names) => names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} and {names[^1]}";

    private async Task SendAsync(DriftIncident incident, string text, CancellationToken cancellationToken)
    {
        var message = new OutgoingMessage { Text = text };
        foreach (var destination in incident.Destinations)
        {
            var key = incident.PostKey(destination);
            // The post is keyed by the incident: a second attempt (after a crash between the store and the
            // outbox) queues nothing new, and every later change edits the same message.
            if (!await outbox.EnqueuePostAsync(key, destination, message, cancellationToken: cancellationToken))
            {
                await outbox.EnqueueUpdateAsync(key, destination, message, cancellationToken);
            }

            Log.NoticeQueued(logger, incident.Environment, incident.Id, destination.ToString());
        }
    }
}
