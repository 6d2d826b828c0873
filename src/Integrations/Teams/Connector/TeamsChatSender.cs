using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>
/// Posts, replies and updates our messages in Teams through the Connector at each conversation's <c>serviceUrl</c>,
/// which <see cref="ITeamsConversations"/> learnt from the activities that came from it. A message id is the
/// activity id; a destination is <c>teams:{conversation id}</c>. Ordering and pacing per conversation are the outbox's.
/// </summary>
/// <remarks>
/// <para>
/// Exactly once, as far as the Connector allows. A 429 is waited out inside the call (the Connector did not act), and
/// an update is idempotent. A new post is not: the Connector takes no idempotency key, and its API has no way to read
/// a conversation's activities back (no GET of activities in the Connector's swagger), so a post whose answer was
/// lost (a timeout, a dropped connection, a 5xx, which the Connector also answers after delivering) cannot be
/// looked up. This sender therefore does not implement <see cref="IChatPostLookup"/>: the outbox posts such a
/// message again after its backoff, and the card may show twice. Each time that can happen is logged (3757) with the
/// conversation and the outbox key, which the card carries (hashed) as its first element's id. Losing an alert or a
/// run's card would be worse than a second copy; finding the first would need Microsoft Graph's channel-message API
/// and its permissions, which a bot registration does not have.
/// </para>
/// <para>
/// <see cref="OutgoingMessage.VisibleTo"/>: Teams has no message only one person sees in a channel or group chat (its
/// Connector has no ephemeral send), so such a message is posted to the conversation for everyone; help and
/// refusals are not secrets.
/// </para>
/// </remarks>
internal sealed class TeamsChatSender(ITeamsConnector connector, ITeamsConversations conversations, ILogger<TeamsChatSender> logger) : IChatSender
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

    private async Task<TeamsConversationReference> ReferenceAsync(ChatDestination destination, CancellationToken cancellationToken) =>
        await conversations.FindAsync(destination.Channel, cancellationToken) ?? throw TeamsConnectorException.UnknownConversation(destination.Channel);
}
