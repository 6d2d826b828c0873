using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Discord.Sending;

/// <summary>
/// A rendered message: what the first request carries, and the rest of a text too long for one message, in
/// pieces of at most <see cref="DiscordMessageRenderer.MaxContent"/> characters, for a thread under it.
/// </summary>
internal sealed record DiscordRendering(DiscordMessagePayload Message, IReadOnlyList<string> Rest);

/// <summary>
/// Renders the platform-neutral <see cref="OutgoingMessage"/> within Discord's limits (resources-message.mdx,
/// components-reference.mdx): the text as <c>content</c> (at most 2,000 characters; the rest goes on separately),
/// context lines as small subtext (<c>-# </c>), buttons as action rows (5 a row, 5 rows, <c>custom_id</c> = the action id),
/// the image as an attached PNG an embed shows (<c>attachment://</c>). Pure.
/// </summary>
internal static partial class DiscordMessageRenderer
{
    public const int MaxContent = 2000;
    public const int MaxButtonsPerRow = 5;
    public const int MaxRows = 5;
    public const int MaxCustomId = 100;
    public const int MaxLabel = 80;
    public const int MaxAttachmentDescription = 1024;
    public const string ImageFileName = "image.png";

    /// <summary>Context lines take at most this much of a message, so the text keeps most of it.</summary>
    private const int MaxContextLength = 400;

    private const string Ellipsis = "…";

    /// <summary>
    /// A new post: the first part of the text with everything else, and the rest of the text when it is longer
    /// than one message can hold.
    /// </summary>
    public static DiscordRendering RenderPost(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = ContextBlock(message.Context);
        var pieces = Split(Markdown(message.Text), MaxContent - (context.Length == 0 ? 0 : context.Length + 1));
        var body = Body(Join(pieces[0], context), message, forEdit: false);
        return new DiscordRendering(new DiscordMessagePayload(body, Files(message)), [.. pieces.Skip(1).SelectMany(p => Split(p, MaxContent))]);
    }

    /// <summary>
    /// An edit replaces everything the message shows (buttons, embeds and attachments absent from it are removed).
    /// An edit cannot add to a thread, so a text too long is cut, and says so.
    /// </summary>
    public static DiscordMessagePayload RenderEdit(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = ContextBlock(message.Context);
        var room = MaxContent - (context.Length == 0 ? 0 : context.Length + 1);
        var text = Markdown(message.Text);
        if (text.Length > room)
        {
            text = text[..(room - Ellipsis.Length)] + Ellipsis;
        }

        return new DiscordMessagePayload(Body(Join(text, context), message, forEdit: true), Files(message));
    }

    /// <summary>A piece of a long text, posted on its own in the thread under the message.</summary>
    public static DiscordMessagePayload RenderPiece(string text) =>
        DiscordMessagePayload.Json(new JsonObject { ["content"] = text, ["allowed_mentions"] = AllowedMentions() });

    private static JsonObject Body(string content, OutgoingMessage message, bool forEdit)
    {
        var body = new JsonObject
        {
            ["content"] = content,
            ["allowed_mentions"] = AllowedMentions(),
        };

        var rows = Rows(message.Buttons);
        if (rows.Count > 0 || forEdit)
        {
            body["components"] = rows;
        }

        if (message.Image is { } image)
        {
            body["embeds"] = new JsonArray(new JsonObject { ["image"] = new JsonObject { ["url"] = $"attachment://{ImageFileName}" } });
            body["attachments"] = new JsonArray(new JsonObject
            {
                ["id"] = 0,
                ["filename"] = ImageFileName,
                ["description"] = Cut(image.AltText, MaxAttachmentDescription),
            });
        }
        else if (forEdit)
        {
            // An edit keeps what it does not mention: an image shown before would stay.
            body["embeds"] = new JsonArray();
            body["attachments"] = new JsonArray();
        }

        return body;
    }

    /// <summary>Mentions in our text (<c>&lt;@id&gt;</c> for escalation) notify people; <c>@everyone</c> in quoted output does not.</summary>
    private static JsonObject AllowedMentions() => new() { ["parse"] = new JsonArray("users") };

    private static IReadOnlyList<DiscordFile> Files(OutgoingMessage message) =>
        message.Image is { } image ? [new DiscordFile(ImageFileName, "image/png", image.Png)] : [];

    private static JsonArray Rows(IReadOnlyList<ChatButton> buttons)
    {
        if (buttons.Count > MaxButtonsPerRow * MaxRows)
        {
            throw new DiscordRenderException($"the message has {buttons.Count} buttons; Discord shows at most {MaxButtonsPerRow * MaxRows} ({MaxRows} rows of {MaxButtonsPerRow}).");
        }

        var rows = new JsonArray();
        foreach (var chunk in buttons.Chunk(MaxButtonsPerRow))
        {
            var row = new JsonArray();
            foreach (var button in chunk)
            {
                if (button.ActionId.Length is 0 or > MaxCustomId)
                {
                    throw new DiscordRenderException($"the button '{button.Label}' has an action id of {button.ActionId.Length} characters; Discord's custom_id holds 1 to {MaxCustomId}.");
                }

                row.Add(new JsonObject
                {
                    ["type"] = 2,
                    ["style"] = Style(button.Style),
                    ["label"] = Cut(string.IsNullOrWhiteSpace(button.Label) ? button.ActionId : button.Label, MaxLabel),
                    ["custom_id"] = button.ActionId,
                });
            }

            rows.Add(new JsonObject { ["type"] = 1, ["components"] = row });
        }

        return rows;
    }

    /// <summary>Discord's button styles: 1 primary (blurple), 2 secondary (grey), 4 danger (red).</summary>
    internal static int Style(ButtonStyle style) => style switch
    {
        ButtonStyle.Primary => 1,
        ButtonStyle.Danger => 4,
        _ => 2,
    };

    /// <summary>Each context line as Discord's small subtext, cut so the context never crowds out the text.</summary>
    private static string ContextBlock(IReadOnlyList<string> context)
    {
        var block = string.Join('\n', context.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => "-# " + l.ReplaceLineEndings(" ").Trim()));
        return Cut(block, MaxContextLength);
    }

    private static string Join(string text, string context) =>
        context.Length == 0 ? text : text.Length == 0 ? context : $"{text}\n{context}";

    /// <summary>Pieces of at most <paramref name="size"/> characters, broken at a line end where one is near.</summary>
    internal static List<string> Split(string text, int size)
    {
        var pieces = new List<string>();
        var rest = text;
        while (rest.Length > size)
        {
            var cut = rest.LastIndexOf('\n', size - 1, size);
            if (cut < size / 2)
            {
                cut = size;
            }

            pieces.Add(rest[..cut]);
            rest = rest[cut..].TrimStart('\n');
        }

        pieces.Add(rest);
        return pieces;
    }

    /// <summary>Our Markdown's <c>*bold*</c> is Discord's <c>**bold**</c> (a single star is italic there); code is left alone.</summary>
    internal static string Markdown(string text)
    {
        var parts = text.Split('`');
        var result = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                result.Append('`');
            }

            result.Append(i % 2 == 0 ? Bold().Replace(parts[i], "**$1**") : parts[i]);
        }

        return result.ToString();
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..(length - Ellipsis.Length)] + Ellipsis;

    [GeneratedRegex(@"(?<![*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])")]
    private static partial Regex Bold();
}
