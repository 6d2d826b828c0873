using ChatOps.Integrations.Chat.Inbox;

namespace ChatOps.Bot.Tests.Inbound;

internal static class InboxClaims
{
    /// <summary>
    /// What the inbox's worker claims in one round, as one call: the oldest waiting delivery of each lane not in
    /// <paramref name="busyLanes"/>, oldest first, at most <paramref name="max"/>, marked started.
    /// </summary>
    public static async Task<List<InboxItem>> StartNextAsync(this TestState state, IReadOnlyCollection<string> busyLanes, int max, CancellationToken cancellationToken)
    {
        var store = state.Inbox;
        var now = state.Time.GetUtcNow();
        var started = new List<InboxItem>();
        foreach (var lane in (await store.DueLanesAsync(now, cancellationToken)).Where(l => !busyLanes.Contains(l)).Take(max))
        {
            started.Add((await store.ClaimNextAsync(lane, now, Timeout.InfiniteTimeSpan, cancellationToken))!);
        }

        return started;
    }
}
