using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Teams.Cards;

namespace ChatOps.Integrations.Teams.Inbound;

/// <summary>
/// The bodies of invoke responses. Teams replaces a card whose <c>Action.Execute</c> button was pressed with the card
/// in the response, so the press is answered with the card's new state at once: the card as the outbox last sent it,
/// without its buttons (a second press cannot race the first) and with a line saying who pressed what. The run or
/// decision the press leads to edits the card again later, through the outbox, as on every platform.
/// </summary>
public sealed class TeamsInvokeResponses
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";

    private readonly OutboxStore _outbox;

    internal TeamsInvokeResponses(OutboxStore outbox) => _outbox = outbox;

    /// <summary>The response to the press <paramref name="action"/>: the pressed card's new state, or a short message when the card is not the outbox's.</summary>
    public async Task<JsonObject> PressedAsync(ChatAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var shown = await _outbox.FindShownAsync(action.Destination, action.MessageId, cancellationToken);
        var label = shown?.Buttons.FirstOrDefault(b => string.Equals(b.ActionId, action.ActionId, StringComparison.Ordinal))?.Label;
        if (shown is null || label is null)
        {
            return Message($"{action.User.Name} pressed a button; the answer follows here.");
        }

        var pressed = shown with { Buttons = [], Context = [.. shown.Context, $"{action.User.Name} pressed {label}…"], DeliveryKey = null };
        return new JsonObject
        {
            ["statusCode"] = 200,
            ["type"] = CardType,
            ["value"] = AdaptiveCardRenderer.Render(pressed),
        };
    }

    /// <summary>An invoke response that shows <paramref name="text"/> to the person who pressed, leaving the card as it is.</summary>
    public static JsonObject Message(string text) => new()
    {
        ["statusCode"] = 200,
        ["type"] = MessageType,
        ["value"] = text,
    };
}
