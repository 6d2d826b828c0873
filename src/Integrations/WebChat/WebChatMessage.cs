namespace ChatOps.Integrations.WebChat;

/// <summary>A message in the web chat as the page and the HTTP API show it.</summary>
public sealed record WebChatMessage(
    string Id,
    string Channel,
    string User,
    string Text,
    IReadOnlyList<WebChatButton> Buttons,
    IReadOnlyList<string> Context,
    string? ThreadOf,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool HasImage)
{
    /// <summary>Replies in this message's thread, oldest first; empty for replies themselves.</summary>
    public IReadOnlyList<WebChatMessage> Replies { get; init; } = [];

    /// <summary>
    /// The moments named in <see cref="Text"/> and <see cref="Context"/>, in order, each with the text that
    /// stands for it there (<c>2026-12-06 16:31 UTC</c>): the page may show it as "3 minutes ago" with the
    /// exact time on hover; shown as it is, it still reads.
    /// </summary>
    public IReadOnlyList<WebChatTime> Times { get; init; } = [];

    /// <summary>The one person who sees this message (a lower-cased web chat name), or null when everyone does.</summary>
    public string? VisibleTo { get; init; }

    /// <summary>Whether <paramref name="viewer"/> (a web chat name, any case; null for nobody in particular) sees this message.</summary>
    public bool IsVisibleTo(string? viewer) => VisibleTo is null || string.Equals(VisibleTo, WebChatStore.Viewer(viewer), StringComparison.Ordinal);
}

public sealed record WebChatButton(string ActionId, string Label, string Style);

/// <summary>A moment in a web chat message and the text that stands for it.</summary>
public sealed record WebChatTime(DateTimeOffset At, string Text);
