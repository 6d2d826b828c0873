using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Teams.Graph;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>
/// Posts, replies and updates our messages in Teams through the Connector at each conversation's <c>serviceUrl</c>,
/// which <see cref="ITeamsConversations"/> learnt from the activities that came from it. A message id is the
/// activity id; a destination is <c>teams:{conversation id}</c>. Ordering and pacing per conversation are the outbox's.
/// </summary>
/// <remarks>
/// <para>
/// Exactly once. A 429 is waited out inside the call (the Connector did not act), and an update is idempotent. A new
/// post is not: the Connector takes no idempotency key and cannot list a conversation's activities, so a post whose
/// answer was lost (a timeout, a dropped connection, a 5xx, which the Connector also answers after delivering) is
/// looked for in Microsoft Graph (<see cref="IChatPostLookup"/>, through <see cref="TeamsGraphPostFinder"/>) before
/// the outbox posts it again: the card carries the outbox key (hashed) as its first element's id, and the message
/// found is adopted. Where Graph cannot be asked (a personal chat, a team whose id no activity has carried, or the
/// app's resource-specific consent not granted: 403), the lookup fails for good and the outbox posts again, which may
/// show the card twice: losing an alert or a run's card would be worse. Each such moment is logged (3757, 3782).
/// </para>
/// <para>
/// <see cref="OutgoingMessage.VisibleTo"/>: Teams has no message only one person sees in a channel or group chat (its
/// Connector has no ephemeral send), so such a message is posted to the conversation for everyone; help and
/// refusals are not secrets.
/// </para>
/// </remarks>
internal sealed class TeamsChatSender(ITeamsConnector connector, ITeamsConversations conversations, TeamsGraphPostFinder finder, ILogger<TeamsChatSender> logger)
    : IChatSender, IChatPostLookup
{
    public const string PlatformName = "teams";

    public string Platform => PlatformName;

    public async Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(message);
        var reference = await ReferenceAsync(destination, cancellationToken);
        var activity = TeamsActivities.Message(message, reference);
        try
        {
            var id = threadOf is null
                ? await connector.SendAsync(reference.ServiceUrl, reference.ConversationId, activity, cancellationToken)
                : await connector.ReplyAsync(reference.ServiceUrl, reference.ConversationId, threadOf, activity, cancellationToken);
            Log.Posted(logger, reference.ConversationId, id, message.DeliveryKey ?? "-");
            return id;
        }
        catch (TeamsConnectorException exception) when (exception.OutcomeUnknown)
        {
            Log.PostOutcomeUnknown(logger, reference.ConversationId, message.DeliveryKey ?? "-", exception.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The outbox's send timeout or shutdown: the request may have reached the Connector.
            Log.PostOutcomeUnknown(logger, reference.ConversationId, message.DeliveryKey ?? "-", "the send was cancelled before the Connector answered");
            throw;
        }
    }

    public async Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(message);
        var reference = await ReferenceAsync(destination, cancellationToken);
        await connector.UpdateAsync(reference.ServiceUrl, reference.ConversationId, messageId, TeamsActivities.Message(message, reference, messageId), cancellationToken);
    }

    /// <summary>
    /// The id of the message in <paramref name="destination"/> whose card carries <paramref name="deliveryKey"/>, asked of
    /// Microsoft Graph; a Graph message id is the Connector's activity id, so edits go to it.
    /// </summary>
    public async Task<string?> FindPostAsync(ChatDestination destination, string deliveryKey, string? threadOf, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrEmpty(deliveryKey);
        var reference = await ReferenceAsync(destination, cancellationToken);
        return await finder.FindAsync(reference, deliveryKey, threadOf, since, cancellationToken);
    }

    /// <summary>
    /// Only a message sent with a card can be found (the key is on the card). A message that is only a mention (an
    /// escalation with nothing else) has none: it is posted again without asking.
    /// </summary>
    public bool CanFind(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return TeamsActivities.CarriesDeliveryKey(message with { DeliveryKey = message.DeliveryKey ?? "probe" });
    }

    private async Task<TeamsConversationReference> ReferenceAsync(ChatDestination destination, CancellationToken cancellationToken) =>
        await conversations.FindAsync(destination.Channel, cancellationToken) ?? throw TeamsConnectorException.UnknownConversation(destination.Channel);
}
