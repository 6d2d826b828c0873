using System.Data.Common;
using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>
/// The one owner of <c>discord_interactions</c>: interactions answered with a deferral, kept durably before Discord
/// hears the answer, so whatever answers them later (after a restart too) can still use their token.
/// </summary>
internal sealed class DiscordInteractionStore(StateDatabase database, TimeProvider time)
{
    /// <summary>Rows are needed while their token lives, and a while after to route edits; older ones go.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private const string Columns =
        "interaction_id, token, type, channel_id, user_id, message_id, received_at, original_key, original_message_id, original_deleted";

    /// <summary>Keeps <paramref name="interaction"/>; false (and nothing changed) when it was kept already, as for a retry.</summary>
    public Task<bool> KeepAsync(DiscordInteractionRecord interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM discord_interactions WHERE received_at < @before", t, cancellationToken,
                ("@before", (time.GetUtcNow() - Retention).ToUnixTimeMilliseconds()));
            var added = await c.ExecuteAsync(
                """
                INSERT INTO discord_interactions (interaction_id, token, type, channel_id, user_id, message_id, received_at)
                VALUES (@id, @token, @type, @channel, @user, @message, @received)
                ON CONFLICT (interaction_id) DO NOTHING
                """, t, cancellationToken,
                ("@id", interaction.Id), ("@token", interaction.Token), ("@type", (int)interaction.Type), ("@channel", interaction.ChannelId),
                ("@user", interaction.UserId), ("@message", interaction.MessageId), ("@received", interaction.ReceivedAt.ToUnixTimeMilliseconds()));
            return added == 1;
        }, cancellationToken);
    }

    /// <summary>Forgets an interaction kept for a delivery the inbox then refused, so a retry is kept afresh.</summary>
    public Task ForgetAsync(string interactionId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (c, t) => c.ExecuteAsync("DELETE FROM discord_interactions WHERE interaction_id = @id", t, cancellationToken, ("@id", interactionId)),
            cancellationToken);

    public async Task<DiscordInteractionRecord?> GetAsync(string interactionId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync($"SELECT {Columns} FROM discord_interactions WHERE interaction_id = @id", null, Map,
            cancellationToken, ("@id", interactionId)), cancellationToken)).FirstOrDefault();

    /// <summary>The interaction whose original response is message <paramref name="messageId"/>, if any.</summary>
    public async Task<DiscordInteractionRecord?> FindByOriginalMessageAsync(string messageId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync($"SELECT {Columns} FROM discord_interactions WHERE original_message_id = @message LIMIT 1", null, Map,
            cancellationToken, ("@message", messageId)), cancellationToken)).FirstOrDefault();

    /// <summary>The latest button press by <paramref name="userId"/> on message <paramref name="messageId"/> in <paramref name="channelId"/>.</summary>
    public async Task<DiscordInteractionRecord?> FindLatestPressAsync(string channelId, string messageId, string userId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync(
            $"""
            SELECT {Columns} FROM discord_interactions
            WHERE channel_id = @channel AND message_id = @message AND user_id = @user AND type = @type
            ORDER BY received_at DESC LIMIT 1
            """, null, Map, cancellationToken,
            ("@channel", channelId), ("@message", messageId), ("@user", userId), ("@type", (int)DiscordInteractionType.MessageComponent)), cancellationToken))
        .FirstOrDefault();

    /// <summary>
    /// Gives the interaction's original response to the outbox post <paramref name="postKey"/>, unless another post has it:
    /// true when <paramref name="postKey"/> holds it now (also when it held it before: a retried send).
    /// </summary>
    public Task<bool> ClaimOriginalAsync(string interactionId, string postKey, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE discord_interactions SET original_key = @key WHERE interaction_id = @id AND original_key IS NULL", t, cancellationToken,
                ("@key", postKey), ("@id", interactionId));
            var holder = await c.ScalarAsync("SELECT original_key FROM discord_interactions WHERE interaction_id = @id", t, cancellationToken, ("@id", interactionId));
            return string.Equals(holder as string, postKey, StringComparison.Ordinal);
        }, cancellationToken);

    /// <summary>Records Discord's id of the message the original response became.</summary>
    public Task RecordOriginalAsync(string interactionId, string messageId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE discord_interactions SET original_message_id = @message WHERE interaction_id = @id", t,
            cancellationToken, ("@message", messageId), ("@id", interactionId)), cancellationToken);

    /// <summary>Records that the original response was deleted (its answer went to one person alone).</summary>
    public Task MarkOriginalDeletedAsync(string interactionId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE discord_interactions SET original_deleted = 1 WHERE interaction_id = @id", t,
            cancellationToken, ("@id", interactionId)), cancellationToken);

    private static DiscordInteractionRecord Map(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), (DiscordInteractionType)r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetNullableString(5),
        r.GetTimestamp(6), r.GetNullableString(7), r.GetNullableString(8), r.GetInt64(9) != 0);
}
