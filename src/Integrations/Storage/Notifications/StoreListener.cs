using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Storage.Notifications;

/// <summary>
/// Keeps one connection listening for the channels of every registered <see cref="StoreWakeup"/> and wakes the parts
/// behind a channel when another replica commits a change on it. When the connection breaks it reconnects with backoff,
/// and on each (re)connect wakes every part once, since notifications sent while it was away are lost. On an engine
/// without notifications (SQLite) it does nothing: the parts poll.
/// </summary>
internal sealed class StoreListener(
    StateDatabase database, IEnumerable<StoreWakeup> wakeups, StoreNotifications notifications, TimeProvider time, ILogger<StoreListener> logger) : BackgroundService
{
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    internal static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    // A part registered by two features (the outbox's signal) is woken once per notification.
    private readonly Dictionary<string, Action[]> _byChannel = wakeups
        .GroupBy(w => w.Channel, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(w => w.Wake).Distinct().ToArray(), StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_byChannel.Count == 0)
        {
            return;
        }

        if (!database.CanNotify)
        {
            Log.Polling(logger, database.Provider);
            return;
        }

        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await database.ListenAsync(_byChannel.Keys, () =>
                    {
                        failures = 0;
                        notifications.Listening();
                        Log.Listening(logger, string.Join(", ", _byChannel.Keys));
                        WakeAll();
                    }, Wake, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // The loop is the edge: a broken connection is logged and made again; polling covers the gap.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    notifications.Deaf();
                    failures++;
                    var delay = RetryAfter(failures);
                    Log.Dropped(logger, exception, delay);
                    await Task.Delay(delay, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            notifications.Deaf();
        }
    }

    /// <summary><see cref="FirstRetry"/> doubling with each failure in a row, at most <see cref="LongestRetry"/>.</summary>
    internal static TimeSpan RetryAfter(int failures)
    {
        var delay = FirstRetry * Math.Pow(2, Math.Clamp(failures - 1, 0, 16));
        return delay > LongestRetry ? LongestRetry : delay;
    }

    private void Wake(string channel)
    {
        Log.Notified(logger, channel);
        if (_byChannel.TryGetValue(channel, out var wakes))
        {
            foreach (var wake in wakes)
            {
                wake();
            }
        }
    }

    private void WakeAll()
    {
        foreach (var wakes in _byChannel.Values)
        {
            foreach (var wake in wakes)
            {
                wake();
            }
        }
    }
}
