using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Renders an <see cref="OutgoingMessage"/> as Block Kit: the text in mrkdwn sections, an optional
/// image, context lines, and one actions block of buttons, plus the plain <c>text</c> Slack shows
/// in notifications. Our markup (<c>*bold*</c>, <c>`code`</c>) is already Slack mrkdwn; only
/// <c>&amp; &lt; &gt;</c> are escaped, so no text can smuggle in <c>&lt;!channel&gt;</c> pings or links.
/// A <see cref="ChatTime"/> becomes Slack's own date formatting, shown in each reader's time zone.
/// </summary>
internal static class BlockKitRenderer
{
    // Slack's documented limits for the elements we use.
    internal const int MaxSectionText = 3000;
    internal const int MaxContextElements = 10;
    internal const int MaxButtons = 25;
    internal const int MaxButtonText = 75;
    internal const int MaxActionId = 255;
    internal const int MaxFallbackText = 4000;

    /// <param name="message">The message.</param>
    /// <param name="imageFileId">A file uploaded for <see cref="OutgoingMessage.Image"/>, shown as an image block.</param>
    public static SlackMessageContent Render(OutgoingMessage message, string? imageFileId = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = Mrkdwn(message.Text);
        var blocks = new JsonArray();
        foreach (var chunk in Chunks(text, MaxSectionText))
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = chunk },
            });
        }

        if (message.Image is { } image && imageFileId is not null)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "image",
                ["slack_file"] = new JsonObject { ["id"] = imageFileId },
                ["alt_text"] = Truncate(image.AltText.Length == 0 ? "image" : image.AltText, 2000),
            });
        }

        if (message.Context.Count > 0)
        {
            var elements = new JsonArray();
            foreach (var line in message.Context.Take(MaxContextElements))
            {
                elements.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(Mrkdwn(line), MaxSectionText) });
            }

            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = elements });
        }

        if (message.Buttons.Count > 0)
        {
            var elements = new JsonArray();
            foreach (var button in message.Buttons.Take(MaxButtons))
            {
                if (button.ActionId.Length > MaxActionId)
                {
                    throw new ArgumentException($"Button action id is longer than Slack's {MaxActionId} characters: '{button.ActionId[..40]}…'.", nameof(message));
                }

                var element = new JsonObject
                {
                    ["type"] = "button",
                    ["action_id"] = button.ActionId,
                    ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(button.Label, MaxButtonText), ["emoji"] = true },
                    ["value"] = button.ActionId,
                };
                var style = button.Style switch
                {
                    ButtonStyle.Primary => "primary",
                    ButtonStyle.Danger => "danger",
                    _ => null,
                };
                if (style is not null)
                {
                    element["style"] = style;
                }

                elements.Add(element);
            }

            blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = elements });
        }

        if (message.DeliveryKey is { } key && blocks.Count > 0)
        {
            // chat.postMessage takes no idempotency key; a block_id is kept with the message and comes back
            // from conversations.history, so the outbox can find a post whose completion it never recorded.
            blocks[0]!["block_id"] = DeliveryBlockId(key);
        }

        var fallback = text.Length > 0 ? text : message.Image?.AltText ?? "";
        // An empty blocks array is refused by Slack; without blocks the text alone is the message.
        return new SlackMessageContent(Truncate(fallback, MaxFallbackText), blocks.Count == 0 ? null : blocks);
    }

    /// <summary>
    /// The <c>block_id</c> that carries a delivery key: <c>d-</c> and the first 128 bits of its SHA-256 in
    /// hex. Short and fixed-length (block ids allow 255 characters), and it shows nothing of the key.
    /// </summary>
    public static string DeliveryBlockId(string deliveryKey)
    {
        ArgumentNullException.ThrowIfNull(deliveryKey);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(deliveryKey));
        return "d-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Our text as mrkdwn: escaped, with each time as <c>&lt;!date^…&gt;</c> ("Today 4:35 PM" in the reader's zone; the fallback where it cannot).</summary>
    public static string Mrkdwn(string text) =>
        ChatTime.Render(text, Escape, (at, fallback) => $"<!date^{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}^{{date_short_pretty}} {{time}}|{fallback}>");

    /// <summary>Escapes the three characters Slack treats as markup in mrkdwn text.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>Splits long text at line breaks where possible so each section stays under the limit.</summary>
    private static IEnumerable<string> Chunks(string text, int max)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        var current = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var piece = line;
            while (piece.Length > max)
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }

                yield return piece[..max];
                piece = piece[max..];
            }

            if (current.Length + piece.Length + 1 > max)
            {
                yield return current.ToString();
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append('\n');
            }

            current.Append(piece);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
