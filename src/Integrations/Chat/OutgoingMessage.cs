using System.Text.Json.Serialization;

namespace ChatOps.Integrations.Chat;

/// <summary>
/// A platform-neutral message. Adapters render it as Block Kit, Discord components, Adaptive Cards
/// or web chat markup; nothing here is specific to one platform.
/// </summary>
public sealed record OutgoingMessage
{
    /// <summary>The main text, in a small Markdown subset: <c>*bold*</c>, <c>`code`</c>, line breaks.</summary>
    public required string Text { get; init; }

    /// <summary>Buttons under the message; pressing one reaches the bot as a <c>ChatAction</c>.</summary>
    public IReadOnlyList<ChatButton> Buttons { get; init; } = [];

    /// <summary>Optional secondary lines shown smaller (who, when, ids).</summary>
    public IReadOnlyList<string> Context { get; init; } = [];

    /// <summary>Optional picture (PNG), for instance a pulse sparkline.</summary>
    public ChatImage? Image { get; init; }

    /// <summary>
    /// The one person who sees this message, as their platform names them (<see cref="ChatUser.Id"/>: a Slack
    /// member id, a web chat name), or null when everyone in the channel does. Help and refusals answer one
    /// person, as Slack and Teams show them, and need not crowd the channel. A platform that cannot address
    /// one person shows the message to the channel. Stored with the message, so a restart keeps it private.
    /// </summary>
    public string? VisibleTo { get; init; }

    /// <summary>
    /// The outbox key this post is delivered under, stamped by the outbox at send time so a platform can
    /// carry it (Slack: the first block's <c>block_id</c>; web chat: a unique column) and a post whose
    /// completion was never recorded can be found instead of posted again. Null for messages sent outside
    /// the outbox. Never stored with the message: it belongs to the delivery, not the content.
    /// </summary>
    [JsonIgnore]
    public string? DeliveryKey { get; init; }

    public static OutgoingMessage Plain(string text) => new() { Text = text };
}

/// <summary>A button. <paramref name="ActionId"/> is opaque to the platform and comes back on press.</summary>
public sealed record ChatButton(string ActionId, string Label, ButtonStyle Style = ButtonStyle.Default);

public enum ButtonStyle
{
    Default,
    Primary,
    Danger,
}

/// <summary>A PNG picture with a text alternative for platforms or readers that cannot show it.</summary>
public sealed record ChatImage(string AltText, ReadOnlyMemory<byte> Png);
