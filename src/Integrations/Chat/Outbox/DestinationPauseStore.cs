using System.Globalization;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// The one owner of <c>chat_destination_pauses</c>: when a platform told one replica to wait, every replica reads it
/// here before its next send to that destination. A pause only ever grows (a shorter Retry-After heard later does not
/// cut a longer one short), and expired pauses are deleted whenever a new one is written, so the table holds little
/// more than the pauses in force.
/// </summary>
internal sealed class DestinationPauseStore(StateDatabase database)
{
    /// <summary>The <c>channel</c> of a pause that holds for every destination of its platform.</summary>
    public const string WholePlatform = "";

    /// <summary>
    /// Records that <paramref name="platform"/>'s <paramref name="channel"/> (<see cref="WholePlatform"/> for all of them)
    /// takes nothing before <paramref name="until"/>, as <paramref name="replica"/> heard from the platform at
    /// <paramref name="now"/>; clears expired pauses in the same write.
    /// </summary>
    public Task PauseAsync(string platform, string channel, DateTimeOffset until, string replica, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM chat_destination_pauses WHERE paused_until <= @now", t, cancellationToken, ("@now", now.ToUnixTimeMilliseconds()));
            return await c.ExecuteAsync(
                """
                INSERT INTO chat_destination_pauses (platform, channel, paused_until, paused_by, paused_at) VALUES (@platform, @channel, @until, @by, @now)
                ON CONFLICT (platform, channel) DO UPDATE SET paused_until = excluded.paused_until, paused_by = excluded.paused_by, paused_at = excluded.paused_at
                WHERE excluded.paused_until > chat_destination_pauses.paused_until
                """, t, cancellationToken,
                ("@platform", platform), ("@channel", channel), ("@until", until.ToUnixTimeMilliseconds()), ("@by", replica), ("@now", now.ToUnixTimeMilliseconds()));
        }, cancellationToken);

    /// <summary>The end of the longest pause in force at <paramref name="now"/> for <paramref name="destination"/> (its own or its platform's), or null.</summary>
    public Task<DateTimeOffset?> PausedUntilAsync(ChatDestination destination, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return database.ReadAsync(async c => await c.ScalarAsync(
            "SELECT MAX(paused_until) FROM chat_destination_pauses WHERE platform = @platform AND channel IN (@channel, @whole) AND paused_until > @now",
            null, cancellationToken,
            ("@platform", destination.Platform), ("@channel", destination.Channel), ("@whole", WholePlatform), ("@now", now.ToUnixTimeMilliseconds())) is { } until
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(until, CultureInfo.InvariantCulture))
            : (DateTimeOffset?)null, cancellationToken);
    }

    /// <summary>Every pause on record, expired or not, for tests and diagnostics.</summary>
    public Task<List<DestinationPause>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryAsync("SELECT platform, channel, paused_until, paused_by, paused_at FROM chat_destination_pauses ORDER BY platform, channel", null,
            r => new DestinationPause(r.GetString(0), r.GetString(1), r.GetTimestamp(2), r.GetString(3), r.GetTimestamp(4)), cancellationToken), cancellationToken);
}

/// <summary>One pause as recorded; <see cref="Channel"/> is empty for a pause of the whole platform.</summary>
internal sealed record DestinationPause(string Platform, string Channel, DateTimeOffset PausedUntil, string PausedBy, DateTimeOffset PausedAt);
