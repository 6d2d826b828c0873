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
}

public sealed record WebChatButton(string ActionId, string Label, string Style);
