using ChatOps.Integrations.Teams.Cards;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>
/// Finds a post the Connector took but whose answer was lost, by the outbox key its card carries (hashed, as the id of
/// its first element; see <see cref="AdaptiveCardRenderer.DeliveryElementId"/>), among the conversation's recent
/// messages in Microsoft Graph. Where Graph cannot be asked (no address, or 403 because the app's resource-specific
/// consent was not granted) it throws a permanent <see cref="TeamsGraphException"/>, so the outbox posts again rather
/// than lose the message, and says so once per conversation.
/// </summary>
internal sealed class TeamsGraphPostFinder(ITeamsGraphMessages graph, TeamsGraphLookupState state, ILogger<TeamsGraphPostFinder> logger)
{
    /// <summary>Our clock and Teams' may disagree; a chat listing is read this much past the moment the post was queued.</summary>
    internal static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many pages (of <see cref="TeamsGraphClient.PageSize"/>) a lookup reads before it gives up and lets the outbox
    /// post: a conversation busy enough to hide the post further back costs more calls than a possible copy is worth.
    /// </summary>
    internal const int MaxPages = 5;

    /// <summary>The id of the message carrying <paramref name="deliveryKey"/>, or null when the recent messages hold none.</summary>
    public async Task<string?> FindAsync(TeamsConversationReference reference, string deliveryKey, string? threadOf, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentException.ThrowIfNullOrEmpty(deliveryKey);
        var conversation = reference.ConversationId;
        var address = TeamsGraphAddress.Of(reference, threadOf, out var reason);
        if (address is null)
        {
            Unavailable(conversation, reason!, refused: false);
            throw new TeamsGraphException($"Microsoft Graph cannot be asked about Teams conversation {conversation}: {reason}.", permanent: true);
        }

        var elementId = AdaptiveCardRenderer.DeliveryElementId(deliveryKey);
        var cutoff = since - ClockSkew;
        var read = 0;
        try
        {
            var page = await graph.ListAsync(address, conversation, cancellationToken);
            for (var pages = 1; page is not null; pages++)
            {
                foreach (var message in page.Messages)
                {
                    read++;
                    if (message.Attachments.Any(a => CarriesKey(a, elementId)))
                    {
                        Answered(conversation);
                        Log.PostFound(logger, conversation, deliveryKey, message.Id);
                        return message.Id;
                    }
                }

                // Only a chat can be listed newest first; past the cutoff nothing older can be the post.
                var pastCutoff = address.Listing == TeamsGraphListing.ChatMessages && page.Messages.Count > 0 && page.Messages[^1].CreatedAt < cutoff;
                if (pastCutoff || page.NextLink is null || pages >= MaxPages)
                {
                    break;
                }

                page = await graph.NextAsync(page.NextLink, conversation, cancellationToken);
            }
        }
        catch (TeamsGraphException exception) when (exception.IsPermanent)
        {
            Unavailable(conversation, exception.Message, exception.IsRefusal);
            throw;
        }

        Answered(conversation);
        Log.PostNotFound(logger, conversation, deliveryKey, read);
        return null;
    }

    /// <summary>Whether <paramref name="attachment"/> is one of our cards stamped with <paramref name="elementId"/>.</summary>
    internal static bool CarriesKey(TeamsGraphAttachment attachment, string elementId)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        if (attachment.ContentType != AdaptiveCardRenderer.ContentType || attachment.Content is not { } content)
        {
            return false;
        }

        try
        {
            var card = System.Text.Json.Nodes.JsonNode.Parse(content);
            return card?["body"] is System.Text.Json.Nodes.JsonArray { Count: > 0 } body
                && body[0]?["id"] is System.Text.Json.Nodes.JsonValue id
                && id.TryGetValue<string>(out var value)
                && string.Equals(value, elementId, StringComparison.Ordinal);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private void Unavailable(string conversation, string reason, bool refused)
    {
        if (state.MarkUnavailable(conversation, reason, refused))
        {
            Log.LookupUnavailable(logger, conversation, reason);
        }
    }

    private void Answered(string conversation)
    {
        if (state.MarkAnswered(conversation))
        {
            Log.LookupRestored(logger, conversation);
        }
    }
}
