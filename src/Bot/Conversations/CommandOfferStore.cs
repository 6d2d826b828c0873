using System.Data.Common;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Conversations;

/// <summary>Owns <c>command_offers</c>: one row per offered button; the buttons of one reply share its <c>reply_key</c>.</summary>
internal sealed class CommandOfferStore(StateDatabase database)
{
    private const string Columns = "id, reply_key, platform, channel, principal_id, principal_name, text, question, message, expires_at, used";

    /// <summary>
    /// Replaces the offers of <paramref name="replyKey"/> with one per text, expiring at <paramref name="expiresAt"/>,
    /// after dropping every offer that expired before <paramref name="purgeBefore"/>; returns their ids, in order.
    /// </summary>
    public Task<List<long>> OfferAsync(string replyKey, ChatDestination destination, string principalId, string principalName, string? question, string message,
        IReadOnlyList<string> texts, DateTimeOffset purgeBefore, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM command_offers WHERE expires_at <= @cutoff", t, cancellationToken, ("@cutoff", purgeBefore.ToUnixTimeMilliseconds()));
            await c.ExecuteAsync("DELETE FROM command_offers WHERE reply_key = @key", t, cancellationToken, ("@key", replyKey));
            var ids = new List<long>(texts.Count);
            foreach (var text in texts)
            {
                ids.Add((long)(await c.ScalarAsync(
                    """
                    INSERT INTO command_offers (reply_key, platform, channel, principal_id, principal_name, text, question, message, expires_at, used)
                    VALUES (@key, @platform, @channel, @pid, @pname, @text, @question, @message, @exp, 0) RETURNING id
                    """, t, cancellationToken, ("@key", replyKey), ("@platform", destination.Platform), ("@channel", destination.Channel),
                    ("@pid", principalId), ("@pname", principalName), ("@text", text), ("@question", question), ("@message", message),
                    ("@exp", expiresAt.ToUnixTimeMilliseconds())))!);
            }

            return ids;
        }, cancellationToken);

    public Task<CommandOffer?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync($"SELECT {Columns} FROM command_offers WHERE id = @id", null, Map, cancellationToken, ("@id", id))).SingleOrDefault(),
            cancellationToken);

    /// <summary>Marks every unused, unexpired offer of <paramref name="replyKey"/> used; false when there was none.</summary>
    public Task<bool> UseAsync(string replyKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "UPDATE command_offers SET used = 1 WHERE reply_key = @key AND used = 0 AND expires_at > @now",
            t, cancellationToken, ("@key", replyKey), ("@now", now.ToUnixTimeMilliseconds())) > 0, cancellationToken);

    /// <summary>Marks used, and returns, the unused offers answering <paramref name="question"/> for one person in one channel.</summary>
    public Task<List<CommandOffer>> SpendQuestionAsync(ChatDestination destination, string principalId, string question, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            (string, object?)[] match = [("@p", destination.Platform), ("@ch", destination.Channel), ("@pid", principalId), ("@q", question)];
            const string Where = "platform = @p AND channel = @ch AND principal_id = @pid AND question = @q AND used = 0";
            var spent = await c.QueryAsync($"SELECT {Columns} FROM command_offers WHERE {Where}", t, Map, cancellationToken, match);
            await c.ExecuteAsync($"UPDATE command_offers SET used = 1 WHERE {Where}", t, cancellationToken, match);
            return spent;
        }, cancellationToken);

    private static CommandOffer Map(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), new ChatDestination(r.GetString(2), r.GetString(3)), r.GetString(4), r.GetString(5), r.GetString(6),
        r.GetNullableString(7), r.GetString(8), r.GetTimestamp(9), r.GetInt64(10) != 0);
}
