using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.WebChat;

/// <summary>The bot's voice in the web chat: posts and edits go straight to the store and the live feed.</summary>
public sealed class WebChatSender(WebChatStore store, IOptions<WebChatOptions> options) : IChatSender
{
    public const string PlatformName = "webchat";

    public string Platform => PlatformName;

    public async Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(message);
        var posted = await store.PostAsync(destination.Channel, options.Value.BotName, message, threadOf, cancellationToken);
        return posted.Id;
    }

    public async Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await store.UpdateAsync(messageId, message, cancellationToken);
    }
}
