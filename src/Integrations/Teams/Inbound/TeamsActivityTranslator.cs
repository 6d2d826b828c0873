using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Teams.Inbound;

/// <summary>
/// Turns a verified <see cref="TeamsActivity"/> into what the bot handles. A message loses the bot's own
/// <c>&lt;at&gt;…&lt;/at&gt;</c> mention (<c>@ChatOps up test</c> reads <c>up test</c>); a card's button press comes
/// back as <c>Action.Submit</c> (a message whose <c>value</c> holds the button's data) or <c>Action.Execute</c> (an
/// invoke named <c>adaptiveCard/action</c> whose <c>value.action</c> holds the verb and data), and either way carries
/// our action id. People are named by their Entra ID object id, lower-case, since it is a GUID.
/// </summary>
internal static partial class TeamsActivityTranslator
{
    public const string Platform = "teams";

    /// <summary>The invoke Teams sends for an <c>Action.Execute</c> button.</summary>
    public const string CardActionInvoke = "adaptiveCard/action";

    /// <summary>Where a button's <c>data</c> (and an <c>Action.Submit</c>'s <c>value</c>) carries our action id.</summary>
    public const string ActionIdField = "actionId";

    public static TeamsInbound Translate(TeamsActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.Type switch
        {
            "message" => Message(activity),
            "invoke" => Invoke(activity),
            "conversationUpdate" or "installationUpdate" => new TeamsInbound
            {
                Kind = TeamsInboundKind.ConversationUpdate,
                ActivityId = activity.Id,
                Destination = Destination(activity),
                Reason = activity.MembersAdded.Contains(activity.BotId, StringComparer.Ordinal) ? "the bot was added" : activity.Type,
            },
            _ => TeamsInbound.Ignored($"a {activity.Type} activity", activity.Id),
        };
    }

    /// <summary>
    /// <paramref name="text"/> without the mentions of the bot (by the mention entities' text, or a leading
    /// <c>&lt;at&gt;</c> tag naming the bot where the entities are missing), with HTML entities decoded and blanks squeezed.
    /// </summary>
    public static string WithoutBotMention(string? text, IReadOnlyList<TeamsMention> mentions, string botId, string? botName)
    {
        ArgumentNullException.ThrowIfNull(mentions);
        var result = text ?? "";
        foreach (var mention in mentions.Where(m => string.Equals(m.MentionedId, botId, StringComparison.Ordinal) && !string.IsNullOrEmpty(m.Text)))
        {
            result = result.Replace(mention.Text!, " ", StringComparison.Ordinal);
        }

        if (!string.IsNullOrEmpty(botName))
        {
            result = result.Replace($"<at>{botName}</at>", " ", StringComparison.OrdinalIgnoreCase);
        }

        result = WebUtility.HtmlDecode(result).Replace('\u00a0', ' ');
        return Blanks().Replace(result, " ").Trim();
    }

    private static TeamsInbound Message(TeamsActivity activity)
    {
        if (activity.Id is null)
        {
            return TeamsInbound.Invalid("the message activity has no id");
        }

        if (activity.Value is { ValueKind: JsonValueKind.Object } value)
        {
            // Action.Submit: the button's data arrives as the message's value.
            return ActionIdIn(value) is { } submitted
                ? Press(activity, submitted, isInvoke: false)
                : TeamsInbound.Ignored("a card submission without an action id of ours", activity.Id);
        }

        var text = WithoutBotMention(activity.Text, activity.Mentions, activity.BotId, activity.BotName);
        if (text.Length == 0)
        {
            return TeamsInbound.Ignored("a message with no text", activity.Id);
        }

        if (Unidentified(activity, isInvoke: false) is { } refused)
        {
            return refused;
        }

        var request = new ChatRequest(Destination(activity), User(activity.From!), text, DeliveryId(activity.Id), MessageId: activity.Id, ThreadOf: activity.ThreadRoot);
        return new TeamsInbound { Kind = TeamsInboundKind.Request, Request = request, ActivityId = activity.Id, Destination = request.Destination, ThreadOf = request.ThreadOf };
    }

    private static TeamsInbound Invoke(TeamsActivity activity)
    {
        if (!string.Equals(activity.Name, CardActionInvoke, StringComparison.Ordinal))
        {
            return new TeamsInbound { Kind = TeamsInboundKind.UnknownInvoke, ActivityId = activity.Id, IsInvoke = true, Reason = $"the invoke '{activity.Name}'" };
        }

        if (activity.Id is null)
        {
            return TeamsInbound.Invalid("the invoke activity has no id");
        }

        var action = activity.Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.Object ? a : (JsonElement?)null;
        if (action is null)
        {
            return TeamsInbound.Invalid("the adaptiveCard/action invoke has no value.action");
        }

        var verb = action.Value.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var data = action.Value.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? ActionIdIn(d) : null;
        var actionId = string.IsNullOrWhiteSpace(verb) ? data : verb;
        return actionId is null
            ? TeamsInbound.Invalid("the adaptiveCard/action invoke carries no verb or data.actionId")
            : Press(activity, actionId, isInvoke: true);
    }

    private static TeamsInbound Press(TeamsActivity activity, string actionId, bool isInvoke)
    {
        if (activity.ReplyToId is null)
        {
            return TeamsInbound.Invalid("the button press has no replyToId (the message the card is on)");
        }

        if (Unidentified(activity, isInvoke) is { } refused)
        {
            return refused;
        }

        var action = new ChatAction(Destination(activity), User(activity.From!), activity.ReplyToId, actionId, DeliveryId(activity.Id!));
        return new TeamsInbound { Kind = TeamsInboundKind.Action, Action = action, ActivityId = activity.Id, Destination = action.Destination, IsInvoke = isInvoke };
    }

    /// <summary>Refuses a sender without an Entra ID object id: the bot's roles and approvals name people by it.</summary>
    private static TeamsInbound? Unidentified(TeamsActivity activity, bool isInvoke) =>
        activity.From?.AadObjectId is { Length: > 0 }
            ? null
            : new TeamsInbound
            {
                Kind = TeamsInboundKind.Unidentified,
                ActivityId = activity.Id,
                Destination = Destination(activity),
                ThreadOf = activity.ThreadRoot,
                IsInvoke = isInvoke,
                Reason = $"the sender {activity.From?.Id ?? "(none)"} has no Entra ID object id",
            };

    private static string? ActionIdIn(JsonElement data) =>
        data.TryGetProperty(ActionIdField, out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text ? text : null;

    private static ChatDestination Destination(TeamsActivity activity) => new(Platform, activity.Channel);

    private static ChatUser User(TeamsSender from) => new(Platform, from.AadObjectId!.Trim().ToLowerInvariant(), from.Name);

    private static string DeliveryId(string activityId) => $"{Platform}:{activityId}";

    [GeneratedRegex(@"\s+")]
    private static partial Regex Blanks();
}
