using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Chat.Outbox;

/// <summary>
/// Pauses a platform asked for (429 with Retry-After), shared by every replica: one row per destination, or per
/// platform with an empty <c>channel</c> when the platform's limit is global. Times are Unix milliseconds.
/// </summary>
internal sealed class DestinationPauseSchema : IStateSchema
{
    public IEnumerable<Migration> Migrations =>
    [
        new(21, "destination pauses",
        [
            """
            CREATE TABLE chat_destination_pauses (
                platform TEXT NOT NULL,
                channel TEXT NOT NULL,
                paused_until BIGINT NOT NULL,
                paused_by TEXT NOT NULL,
                paused_at BIGINT NOT NULL,
                PRIMARY KEY (platform, channel))
            """,
        ]),
    ];
}
