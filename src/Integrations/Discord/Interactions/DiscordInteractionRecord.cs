namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>
/// An interaction kept so its answer can be given later: its token is what lets the bot fill in (or delete) its
/// original response and send follow-ups, for <see cref="DiscordInteractionRecord.TokenLifetime"/> after it arrived.
/// </summary>
internal sealed record DiscordInteractionRecord(
    string Id,
    string Token,
    DiscordInteractionType Type,
    string ChannelId,
    string UserId,
    string? MessageId,
    DateTimeOffset ReceivedAt,
    string? OriginalKey = null,
    string? OriginalMessageId = null,
    bool OriginalDeleted = false)
{
    /// <summary>Discord's own limit: an interaction token is valid for 15 minutes.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Whether the token may still be used at <paramref name="now"/>, leaving <paramref name="margin"/> for a call
    /// that starts just before it expires (and for a clock that differs from Discord's).
    /// </summary>
    public bool TokenUsableAt(DateTimeOffset now, TimeSpan margin) => now < ReceivedAt + TokenLifetime - margin;
}
