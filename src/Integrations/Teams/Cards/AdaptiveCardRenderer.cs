using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Teams.Cards;

/// <summary>Renders the platform-neutral message as an Adaptive Card (schema 1.5).</summary>
internal static class AdaptiveCardRenderer
{
    /// <summary>The card for <paramref name="message"/>: the <c>content</c> of an attachment of type <c>application/vnd.microsoft.card.adaptive</c>.</summary>
    public static JsonObject Render(OutgoingMessage message) => throw new NotImplementedException("Adaptive Card rendering is not written yet.");
}
