using System.Globalization;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// A command offered as a button: the correction of a misspelt command ("Did you mean `/env status test`?") or
/// an answer to a question ("Which environment? [dev] [test]"). It belongs to the one person it was offered to
/// and to the reply that shows it (<see cref="ReplyKey"/>, its outbox key); pressing it runs <see cref="Text"/>
/// as if that person had typed it. <see cref="Question"/> is the pending question it answers, if any;
/// <see cref="Message"/> the text of the reply, shown again without its buttons once one is pressed.
/// </summary>
internal sealed record CommandOffer(
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
internal sealed class CommandOffers(StateDatabase database, TimeProvider time)
{
    /// <summary>How long an offered command can be pressed: as long as a question waits for its answer.</summary>
    public static readonly TimeSpan Lifetime = Clarifications.Lifetime;

    private const string Prefix = "offer:";

    // Long enough after expiry to tell "expired" from "no such button"; then the row goes.
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private readonly CommandOfferStore _store = new(database);

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
    public async Task<IReadOnlyList<string>> OfferAsync(string replyKey, ChatDestination destination, Principal principal, string? question, string message,
        IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(texts);
        var now = time.GetUtcNow();
        // A reply handled again (a re-queued delivery) offers the same buttons again, not more.
        var ids = await _store.OfferAsync(replyKey, destination, PrincipalId.Of(principal.Id), principal.DisplayName, question, message, texts,
            now - Retention, now + Lifetime, cancellationToken);
        return [.. ids.Select(ActionId)];
    }

    public Task<CommandOffer?> GetAsync(long id, CancellationToken cancellationToken) => _store.GetAsync(id, cancellationToken);

    /// <summary>Uses <paramref name="offer"/> and every other button of its reply; false when one was used already or they expired: exactly one press wins.</summary>
    public Task<bool> UseAsync(CommandOffer offer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return _store.UseAsync(offer.ReplyKey, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Spends the unused buttons that answer <paramref name="question"/> for <paramref name="principalId"/> in <paramref name="destination"/>:
    /// the question was answered by typing. Returns one of each reply whose buttons were spent, so its buttons can be taken off.
    /// </summary>
    public async Task<List<CommandOffer>> SpendQuestionAsync(ChatDestination destination, string principalId, string question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var spent = await _store.SpendQuestionAsync(destination, PrincipalId.Of(principalId), question, cancellationToken);
        return [.. spent.DistinctBy(o => o.ReplyKey)];
    }
}
