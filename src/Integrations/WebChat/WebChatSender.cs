using System.Data.Common;
using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.WebChat;

/// <summary>
/// The bot's voice in the web chat: posts and edits go straight to the store and the live feed. The store
/// shares the outbox's database and refuses a second message with the same delivery key, so web chat
/// posts are exactly-once by construction; the lookup lets the outbox bring a found post up to date.
/// </summary>
public sealed class WebChatSender(WebChatStore store, IOptions<WebChatOptions> options) : IChatSender, IChatPostLookup, IChatBatchPoster, IChatLocalPoster
{
    public const string PlatformName = "webchat";

    public string Platform => PlatformName;

    /// <summary>Posts the message; one with <see cref="OutgoingMessage.VisibleTo"/> is listed and streamed to that name alone.</summary>
    public async Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(message);
        var posted = await store.PostAsync(destination.Channel, options.Value.BotName, message, threadOf, cancellationToken);
        return posted.Id;
    }

    public Task<string> PostInAsync(DbConnection connection, DbTransaction transaction, ChatDestination destination, OutgoingMessage message, string? threadOf,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return store.PostInAsync(connection, transaction, destination.Channel, options.Value.BotName, message, threadOf, cancellationToken);
    }

    public void Committed() => store.Changed();

    public async Task<IReadOnlyList<string>> PostAllAsync(ChatDestination destination, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var posted = await store.PostAllAsync(destination.Channel, options.Value.BotName, messages, cancellationToken);
        return [.. posted.Select(m => m.Id)];
    }

    public async Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await store.UpdateAsync(messageId, message, cancellationToken);
    }

    public Task<string?> FindPostAsync(ChatDestination destination, string deliveryKey, string? threadOf, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryKey);
        return store.FindByDeliveryKeyAsync(deliveryKey, cancellationToken);
    }
}
