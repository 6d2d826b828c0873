using System.Text.Json.Nodes;

namespace ChatOps.Integrations.Discord;

/// <summary>
/// Discord's REST API (v10) at <c>Discord:ApiBaseUrl</c>: the bot token and user agent on every call, Discord's
/// per-route and global rate limits waited out, and an error body turned into a typed exception.
/// </summary>
internal interface IDiscordRest
{
    /// <summary><c>GET /gateway/bot</c>: where to connect the Gateway, and how many session starts are left.</summary>
    Task<DiscordGatewayInfo> GetGatewayBotAsync(CancellationToken cancellationToken);

    /// <summary><c>POST /interactions/{id}/{token}/callback</c>: answers an interaction received over the Gateway.</summary>
    Task CreateInteractionResponseAsync(string interactionId, string interactionToken, JsonObject response, CancellationToken cancellationToken);

    /// <summary><c>PATCH /webhooks/{application.id}/{token}/messages/@original</c>: the interaction's own message, while its token lives.</summary>
    Task<DiscordMessageRef> EditOriginalInteractionResponseAsync(string interactionToken, DiscordMessagePayload message, CancellationToken cancellationToken);

    /// <summary><c>DELETE /webhooks/{application.id}/{token}/messages/@original</c>.</summary>
    Task DeleteOriginalInteractionResponseAsync(string interactionToken, CancellationToken cancellationToken);

    /// <summary><c>POST /webhooks/{application.id}/{token}</c>: a follow-up message to an interaction (may be ephemeral, flag 64).</summary>
    Task<DiscordMessageRef> CreateFollowupMessageAsync(string interactionToken, DiscordMessagePayload message, CancellationToken cancellationToken);

    /// <summary><c>PATCH /webhooks/{application.id}/{token}/messages/{message.id}</c>: edits a follow-up while the token lives.</summary>
    Task<DiscordMessageRef> EditFollowupMessageAsync(string interactionToken, string messageId, DiscordMessagePayload message, CancellationToken cancellationToken);

    /// <summary><c>POST /channels/{channel.id}/messages</c>, with the bot token.</summary>
    Task<DiscordMessageRef> CreateMessageAsync(string channelId, DiscordMessagePayload message, CancellationToken cancellationToken);

    /// <summary><c>PATCH /channels/{channel.id}/messages/{message.id}</c>, with the bot token (also after an interaction token expired).</summary>
    Task<DiscordMessageRef> EditMessageAsync(string channelId, string messageId, DiscordMessagePayload message, CancellationToken cancellationToken);

    /// <summary><c>POST /channels/{channel.id}/messages/{message.id}/threads</c>: starts a thread under a message; returns the thread's channel id.</summary>
    Task<string> StartThreadFromMessageAsync(string channelId, string messageId, string name, CancellationToken cancellationToken);

    /// <summary>
    /// <c>PUT /applications/{application.id}/commands</c>, or <c>…/guilds/{guild.id}/commands</c> with <paramref name="guildId"/>:
    /// replaces every application command with <paramref name="commands"/>; returns what Discord now holds.
    /// </summary>
    Task<JsonArray> BulkOverwriteApplicationCommandsAsync(string? guildId, JsonArray commands, CancellationToken cancellationToken);
}

/// <summary>The answer to <c>GET /gateway/bot</c>.</summary>
internal sealed record DiscordGatewayInfo(Uri Url, int Shards, int SessionStartsRemaining, TimeSpan SessionStartsResetAfter);

/// <summary>A message Discord holds: its id and the channel (or thread) it is in.</summary>
internal sealed record DiscordMessageRef(string Id, string ChannelId);

/// <summary>
/// A message to create or edit: the JSON body (<c>content</c>, <c>embeds</c>, <c>components</c>, <c>flags</c>,
/// <c>nonce</c>, <c>enforce_nonce</c>, <c>attachments</c>…) and the files it attaches. With files the request is
/// <c>multipart/form-data</c> (<c>payload_json</c> and <c>files[n]</c>); without, plain JSON.
/// </summary>
internal sealed record DiscordMessagePayload(JsonObject Body, IReadOnlyList<DiscordFile> Files)
{
    public static DiscordMessagePayload Json(JsonObject body) => new(body, []);
}

/// <summary>A file attached to a message, referred to in the body as <c>attachment://{FileName}</c>.</summary>
internal sealed record DiscordFile(string FileName, string ContentType, ReadOnlyMemory<byte> Content);
