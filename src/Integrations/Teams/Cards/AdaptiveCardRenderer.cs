using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Teams.Cards;

/// <summary>
/// Renders the platform-neutral message as an Adaptive Card (schema 1.5): the text as TextBlocks (a run of two or
/// more <c>name: value</c> lines as a FactSet), the picture as an Image with a <c>data:</c> URL, the context lines
/// small and subtle, and the buttons as <c>Action.Execute</c> whose <c>verb</c> and <c>data.actionId</c> carry the
/// action id, so a press comes back as an <c>adaptiveCard/action</c> invoke the bot answers with the updated card.
/// </summary>
internal static partial class AdaptiveCardRenderer
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string SchemaVersion = "1.5";

    /// <summary>The key under <c>data</c> that carries a button's action id.</summary>
    public const string ActionIdKey = "actionId";

    // Teams refuses a message over about 28 KB; the text and context are cut well before that, the image is the
    // caller's (a sparkline is a few KB).
    internal const int MaxTextLength = 12_000;
    internal const int MaxContextLines = 10;

    /// <summary>Text elements before the rest of a long text is only counted: each line is an element, and elements cost bytes.</summary>
    internal const int MaxTextElements = 60;
    internal const int MaxButtonTitle = 60;

    /// <summary>Teams shows this many actions as buttons; more go to the card's overflow menu.</summary>
    internal const int MaxPrimaryActions = 6;

    /// <summary>The card for <paramref name="message"/>: the <c>content</c> of an attachment of type <see cref="ContentType"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="mention">
    /// How a <c>&lt;at&gt;id&lt;/at&gt;</c> mention in the text is written. The card alone cannot notify anyone (the 1.5
    /// schema has no room for Teams' mention entities), so by default it names the person as <c>@id</c>; the activity
    /// that carries mentions puts the real ones in its own text (<see cref="Connector.TeamsActivities"/>).
    /// </param>
    public static JsonObject Render(OutgoingMessage message, Func<string, string>? mention = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        mention ??= id => "@" + CardText.Escape(id);
        var body = new JsonArray();
        AddText(body, Truncate(message.Text, MaxTextLength), mention);
        if (message.Image is { } image && !image.Png.IsEmpty)
        {
            body.Add(new JsonObject
            {
                ["type"] = "Image",
                ["url"] = "data:image/png;base64," + Convert.ToBase64String(image.Png.Span),
                ["altText"] = image.AltText.Length == 0 ? "image" : image.AltText,
                ["size"] = "Stretch",
            });
        }

        foreach (var line in message.Context.Take(MaxContextLines))
        {
            body.Add(new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = CardText.Markdown(Truncate(line, 1_000), mention),
                ["size"] = "Small",
                ["isSubtle"] = true,
                ["wrap"] = true,
                ["spacing"] = "Small",
            });
        }

        if (message.DeliveryKey is { } key && body.Count > 0)
        {
            // The Connector takes no idempotency key; the card keeps the outbox key (hashed) so a post whose answer
            // was lost can be found again through Microsoft Graph (TeamsGraphPostFinder) instead of posted twice.
            body[0]!["id"] = DeliveryElementId(key);
        }

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = SchemaVersion,
            ["fallbackText"] = Truncate(CardText.Plain(message.Text.Length > 0 ? message.Text : message.Image?.AltText ?? ""), 2_000),
            ["body"] = body,
        };
        if (message.Buttons.Count > 0)
        {
            card["actions"] = Actions(message.Buttons);
        }

        return card;
    }

    /// <summary>The element id that carries a delivery key: <c>d-</c> and the first 128 bits of its SHA-256 in hex, showing nothing of the key.</summary>
    public static string DeliveryElementId(string deliveryKey)
    {
        ArgumentNullException.ThrowIfNull(deliveryKey);
        return "d-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryKey)).AsSpan(0, 16));
    }

    private static JsonArray Actions(IReadOnlyList<ChatButton> buttons)
    {
        var actions = new JsonArray();
        for (var i = 0; i < buttons.Count; i++)
        {
            var button = buttons[i];
            var action = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["title"] = Truncate(button.Label, MaxButtonTitle),
                ["verb"] = button.ActionId,
                ["data"] = new JsonObject { [ActionIdKey] = button.ActionId },
            };
            if (button.Style switch { ButtonStyle.Primary => "positive", ButtonStyle.Danger => "destructive", _ => null } is { } style)
            {
                action["style"] = style;
            }

            if (i >= MaxPrimaryActions)
            {
                action["mode"] = "secondary";
            }

            actions.Add(action);
        }

        return actions;
    }

    /// <summary>
    /// The text, line by line: a run of two or more <c>name: value</c> lines (a node list, a status) as one FactSet,
    /// everything else as TextBlocks, one per line so a line break is a line break on every client; a blank line
    /// becomes space before the next block.
    /// </summary>
    private static void AddText(JsonArray body, string text, Func<string, string> mention)
    {
        if (text.Length == 0)
        {
            return;
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var gap = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                gap = body.Count > 0;
                continue;
            }

            if (body.Count >= MaxTextElements)
            {
                var rest = lines.Skip(i).Count(l => !string.IsNullOrWhiteSpace(l));
                body.Add(new JsonObject
                {
                    ["type"] = "TextBlock",
                    ["text"] = CardText.Escape($"…and {rest} more lines"),
                    ["isSubtle"] = true,
                    ["wrap"] = true,
                });
                return;
            }

            var facts = 0;
            while (i + facts < lines.Length && Fact().IsMatch(lines[i + facts]))
            {
                facts++;
            }

            JsonObject element;
            if (facts >= 2)
            {
                var set = new JsonArray();
                foreach (var line in lines.AsSpan(i, facts))
                {
                    var match = Fact().Match(line);
                    set.Add(new JsonObject
                    {
                        ["title"] = CardText.Markdown(match.Groups["name"].Value.Trim(), mention),
                        ["value"] = CardText.Markdown(match.Groups["value"].Value.Trim(), mention),
                    });
                }

                element = new JsonObject { ["type"] = "FactSet", ["facts"] = set };
                i += facts - 1;
            }
            else
            {
                element = new JsonObject
                {
                    ["type"] = "TextBlock",
                    ["text"] = CardText.Markdown(lines[i], mention),
                    ["wrap"] = true,
                };
            }

            if (body.Count > 0)
            {
                element["spacing"] = gap ? "Medium" : "None";
            }

            gap = false;
            body.Add(element);
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    // A short name without markup (a node, a setting), a colon and a space, and a value: "web-1: up, weight 50".
    [GeneratedRegex(@"^\s*(?:[-•]\s+)?(?<name>[^:*`<>\s][^:*`<>]{0,39}):\s+(?<value>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Fact();
}
