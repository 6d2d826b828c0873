using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Teams.Cards;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>
/// The <c>message</c> activity the bot sends for an <see cref="OutgoingMessage"/>: one Adaptive Card attachment, and,
/// when the text mentions someone (<c>&lt;at&gt;id&lt;/at&gt;</c>, an escalation), the text in the activity itself with
/// a <c>mention</c> entity per person. The Adaptive Card 1.5 schema admits no Teams <c>msteams.entities</c> on a card,
/// so a card cannot notify anyone; an activity's own mention entities are the protocol's documented way.
/// </summary>
internal static class TeamsActivities
{
    public const string ChannelId = "msteams";

    /// <param name="message">What to say.</param>
    /// <param name="reference">The conversation it goes to (its id and the bot's account there).</param>
    /// <param name="activityId">The activity it replaces, for an update.</param>
    public static JsonObject Message(OutgoingMessage message, TeamsConversationReference reference, string? activityId = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reference);
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["channelId"] = ChannelId,
            ["conversation"] = new JsonObject { ["id"] = reference.ConversationId },
        };
        if (activityId is not null)
        {
            activity["id"] = activityId;
        }

        if (reference.BotName is { Length: > 0 } botName)
        {
            activity["from"] = new JsonObject { ["id"] = reference.BotId, ["name"] = botName };
        }

        var mentioned = CardText.Mentions(message.Text);
        var cardMessage = message;
        if (mentioned.Count > 0)
        {
            var lines = message.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            activity["text"] = string.Join("\n\n", lines.Select(l => CardText.Markdown(l, id => $"<at>{id}</at>")));
            activity["textFormat"] = "markdown";
            var entities = new JsonArray();
            foreach (var id in mentioned)
            {
                entities.Add(new JsonObject
                {
                    ["type"] = "mention",
                    ["text"] = $"<at>{id}</at>",
                    // Our people are named by their AAD object id (teams:<aad object id>); no display name is known here.
                    ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = id },
                });
            }

            activity["entities"] = entities;
            cardMessage = message with { Text = "" };
        }

        if (cardMessage.Text.Length > 0 || cardMessage.Buttons.Count > 0 || cardMessage.Context.Count > 0 || cardMessage.Image is not null)
        {
            activity["attachments"] = new JsonArray
            {
                new JsonObject
                {
                    ["contentType"] = AdaptiveCardRenderer.ContentType,
                    ["content"] = AdaptiveCardRenderer.Render(cardMessage),
                },
            };
        }
        else if (mentioned.Count == 0)
        {
            // Teams refuses an empty message; an empty one of ours says so rather than failing for good.
            activity["text"] = "(empty)";
        }

        // What the notification and the chat list show.
        activity["summary"] = Summary(message);
        return activity;
    }

    /// <summary>Whether the activity for <paramref name="message"/> has a card that carries its delivery key.</summary>
    public static bool CarriesDeliveryKey(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var probe = new TeamsConversationReference("probe", new Uri("https://localhost/"), null, "probe", null);
        return Message(message, probe)["attachments"] is JsonArray { Count: > 0 } attachments
            && attachments[0]?["content"]?["body"] is JsonArray { Count: > 0 } body
            && body[0]?["id"] is not null;
    }

    private static string Summary(OutgoingMessage message)
    {
        var first = CardText.Plain(message.Text).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? message.Image?.AltText ?? "";
        return first.Length <= 200 ? first : first[..199] + "…";
    }
}
