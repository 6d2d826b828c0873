using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Storage.Notifications;

/// <summary>
/// Whether this replica hears other replicas' commits right now (the <see cref="StoreListener"/> is listening), and so how
/// long the parts that also poll for them may sleep between looks.
/// </summary>
public sealed class StoreNotifications(IOptions<StorageOptions> options)
{
    private int _live;
    private long _listens;

    /// <summary>True while the listener is listening: a change committed by another replica wakes its part here.</summary>
    public bool Live => Volatile.Read(ref _live) == 1;

    /// <summary>How many times the listener has started listening (a reconnect counts again).</summary>
    public long Listens => Interlocked.Read(ref _listens);

    /// <summary>
    /// The poll interval for a part that polls every <paramref name="polling"/> without notifications: while they are live,
    /// the longer <see cref="StorageOptions.NotifiedPollInterval"/>, a safety net only.
    /// </summary>
    public TimeSpan PollInterval(TimeSpan polling)
    {
        var notified = options.Value.NotifiedPollInterval;
        return Live && notified > polling ? notified : polling;
    }

    internal void Listening()
    {
        Interlocked.Increment(ref _listens);
        Volatile.Write(ref _live, 1);
    }

    internal void Deaf() => Volatile.Write(ref _live, 0);
}
