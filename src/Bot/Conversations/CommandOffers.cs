using System.Globalization;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using Microsoft.Data.Sqlite;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// A command offered as a button: the correction of a misspelt command ("Did you mean `/env status test`?") or
/// an answer to a question ("Which environment? [dev] [test]"). It belongs to the one person it was offered to
/// and to the reply that shows it (<see cref="ReplyKey"/>, its outbox key); pressing it runs <see cref="Text"/>
/// as if that person had typed it. <see cref="Question"/> is the pending question it answers, if any;
/// <see cref="Message"/> the text of the reply, shown again without its buttons once one is pressed.
/// </summary>
public sealed record CommandOffer(
    long Id,
    string ReplyKey,
    ChatDestination Destination,
    string PrincipalId,
    string PrincipalName,
    string Text,
    string? Question,
    string Message,
    DateTimeOffset ExpiresAt,
    bool Used);

/// <summary>
/// The commands offered as buttons, kept in the state store with their expiry so a button still works (or
/// says it expired) after a restart. All the buttons of one reply are one offer: pressing one uses them all,
/// so a question is answered once.
/// </summary>
public sealed class CommandOffers(StateDatabase database, TimeProvider time)
{
    /// <summary>How long an offered command can be pressed: as long as a question waits for its answer.</summary>
    public static readonly TimeSpan Lifetime = Clarifications.Lifetime;

    private const string Prefix = "offer:";
    private const string Columns = "id, reply_key, platform, channel, principal_id, principal_name, text, question, message, expires_at, used";

    // Long enough after expiry to tell "expired" from "no such button"; then the row goes.
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    public static string ActionId(long id) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{id}");

    public static bool TryParse(string actionId, out long id)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        id = 0;
        return actionId.StartsWith(Prefix, StringComparison.Ordinal)
               && long.TryParse(actionId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    /// <summary>
    /// Offers each of <paramref name="texts"/> to <paramref name="principal"/> in the reply <paramref name="replyKey"/> that reads
    /// <paramref name="message"/>; returns the buttons' action ids, in order.
    /// </summary>
    public Task<IReadOnlyList<string>> OfferAsync(string replyKey, ChatDestination destination, Principal principal, string? question, string message,
        IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(texts);
        return database.WriteAsync<IReadOnlyList<string>>(async (c, t) =>
        {
            var now = time.GetUtcNow();
            await c.ExecuteAsync("DELETE FROM command_offers WHERE expires_at <= @cutoff", t, cancellationToken, ("@cutoff", (now - Retention).ToUnixTimeMilliseconds()));
            // A reply handled again (a re-queued delivery) offers the same buttons again, not more.
            await c.ExecuteAsync("DELETE FROM command_offers WHERE reply_key = @key", t, cancellationToken, ("@key", replyKey));
            var ids = new List<string>(texts.Count);
            foreach (var text in texts)
            {
                var id = (long)(await c.ScalarAsync(
                    """
                    INSERT INTO command_offers (reply_key, platform, channel, principal_id, principal_name, text, question, message, expires_at, used)
                    VALUES (@key, @platform, @channel, @pid, @pname, @text, @question, @message, @exp, 0) RETURNING id
                    """, t, cancellationToken, ("@key", replyKey), ("@platform", destination.Platform), ("@channel", destination.Channel),
                    ("@pid", PrincipalId.Of(principal.Id)), ("@pname", principal.DisplayName), ("@text", text), ("@question", question), ("@message", message),
                    ("@exp", (now + Lifetime).ToUnixTimeMilliseconds())))!;
                ids.Add(ActionId(id));
            }

            return ids;
        }, cancellationToken);
    }

    public Task<CommandOffer?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync($"SELECT {Columns} FROM command_offers WHERE id = @id", null, Map, cancellationToken, ("@id", id))).SingleOrDefault(),
            cancellationToken);

    /// <summary>Uses <paramref name="offer"/> and every other button of its reply; false when one was used already or they expired: exactly one press wins.</summary>
    public Task<bool> UseAsync(CommandOffer offer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "UPDATE command_offers SET used = 1 WHERE reply_key = @key AND used = 0 AND expires_at > @now",
            t, cancellationToken, ("@key", offer.ReplyKey), ("@now", time.GetUtcNow().ToUnixTimeMilliseconds())) > 0, cancellationToken);
    }

    /// <summary>
    /// Spends the unused buttons that answer <paramref name="question"/> for <paramref name="principalId"/> in <paramref name="destination"/>:
    /// the question was answered by typing. Returns one of each reply whose buttons were spent, so its buttons can be taken off.
    /// </summary>
    public Task<List<CommandOffer>> SpendQuestionAsync(ChatDestination destination, string principalId, string question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return database.WriteAsync(async (c, t) =>
        {
            (string, object?)[] match = [("@p", destination.Platform), ("@ch", destination.Channel), ("@pid", PrincipalId.Of(principalId)), ("@q", question)];
            const string Where = "platform = @p AND channel = @ch AND principal_id = @pid AND question = @q AND used = 0";
            var spent = await c.QueryAsync($"SELECT {Columns} FROM command_offers WHERE {Where}", t, Map, cancellationToken, match);
            await c.ExecuteAsync($"UPDATE command_offers SET used = 1 WHERE {Where}", t, cancellationToken, match);
            return spent.DistinctBy(o => o.ReplyKey).ToList();
        }, cancellationToken);
    }

    private static CommandOffer Map(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), new ChatDestination(r.GetString(2), r.GetString(3)), r.GetString(4), r.GetString(5), r.GetString(6),
        r.GetNullableString(7), r.GetString(8), r.GetTimestamp(9), r.GetInt64(10) != 0);
}
