using System.Globalization;
using ChatOps.Bot.Commands;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// Binds every button to the message that carries it. A button's id names only what it acts on (a
/// decision, a run, an alert), so without this a correctly signed press from any channel, or any
/// platform, would act on it. The message is the outbox post that shows the button (a run's
/// <c>run:{id}</c>, an alert's copy for that destination, the reply that offered a command); a press counts only from that post's platform
/// and channel, and from that very message once the platform's id for it is known.
/// </summary>
internal sealed class ButtonOrigins(IChatOutbox outbox, DecisionStore decisions, CommandRegistry commands, CommandOffers offers)
{
    public const string RefusalText = "that button is not on this message, so pressing it here does nothing. Use the button on the message that asked.";

    /// <summary>
    /// Null when <paramref name="press"/> came from the message carrying its button, or when the button
    /// names nothing that exists (its handler says so); otherwise where that message actually is.
    /// </summary>
    public async Task<ChatPostLocation?> MisplacedAsync(ChatAction press, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(press);
        var (key, recorded) = await ExpectedPostAsync(press, cancellationToken);
        if (key is null)
        {
            return null;
        }

        // A post may have outlived the outbox's retention: then the channel recorded with what it acts on still binds the press.
        var post = await outbox.LocateAsync(key, cancellationToken)
                   ?? (recorded is null ? new ChatPostLocation(new ChatDestination("", ""), null) : new ChatPostLocation(recorded, null));
        return post.Carries(press.Destination, press.MessageId) ? null : post;
    }

    /// <summary>The outbox key of the message that shows the pressed button, and the destination recorded with what it acts on.</summary>
    private async Task<(string? Key, ChatDestination? Recorded)> ExpectedPostAsync(ChatAction press, CancellationToken cancellationToken)
    {
        var actionId = press.ActionId;
        if (CommandOffers.TryParse(actionId, out var offerId))
        {
            return await offers.GetAsync(offerId, cancellationToken) is { } offer ? (offer.ReplyKey, offer.Destination) : (null, null);
        }

        // A command's button: the command knows which message shows it.
        if (commands.ButtonOwner(actionId) is var (owner, ownedId))
        {
            return await owner.CarrierAsync(press, ownedId, cancellationToken);
        }

        var colon = actionId.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(actionId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return (null, null);
        }

        return await decisions.GetAsync(id, cancellationToken) is { } decision ? (RunMessages.Key(decision.RunId), decision.Destination) : (null, null);
    }
}
