using ChatOps.Integrations.Storage.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.WebChat;

/// <summary>
/// Follows <c>webchat_messages</c> by revision and hands each post and edit to the <see cref="WebChatFeed"/>: at once when
/// this replica wrote it, or another replica did on PostgreSQL (its notification wakes the feed, and the poll is then only a
/// safety net: <see cref="StorageOptions.NotifiedPollInterval"/>), within <see cref="WebChatOptions.StreamPollInterval"/> when
/// another replica on the same SQLite file did, or while the listener reconnects. It starts at the newest revision, read at start, so a stream shows what happens after it opened; the
/// page loads what came before from the channel's history.
/// </summary>
internal sealed class WebChatTail(
    WebChatStore store, WebChatFeed feed, IOptions<WebChatOptions> options, TimeProvider time, ILogger<WebChatTail> logger, StoreNotifications? notifications = null)
    : BackgroundService
{
    /// <summary>The most changes one read takes; more are read at once after.</summary>
    internal const int Batch = 500;

    private long _start;

    /// <summary>
    /// Reads where to start before the start goes on, so nothing posted once the bot listens (and a page can subscribe)
    /// is taken for history.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _start = await store.LatestRevisionAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = _start;
        while (!stoppingToken.IsCancellationRequested)
        {
            var poll = options.Value.StreamPollInterval;
            await feed.WaitForChangeAsync(notifications?.PollInterval(poll) ?? poll, time, stoppingToken);
            try
            {
                last = await PublishAfterAsync(last, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The store may be briefly unreadable (a full disk, a server restarting): the next wake or poll tries again.
                Log.TailFailed(logger, last, e);
            }
        }
    }

    private async Task<long> PublishAfterAsync(long last, CancellationToken cancellationToken)
    {
        IReadOnlyList<(long Revision, WebChatMessage Message)> changes;
        do
        {
            changes = await store.ChangesAfterAsync(last, Batch, cancellationToken);
            foreach (var (revision, message) in changes)
            {
                feed.Publish(message);
                last = revision;
            }
        }
        while (changes.Count == Batch);

        return last;
    }
}
