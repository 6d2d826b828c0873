using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Discord;
using ChatOps.TestCommon.Discord;

namespace ChatOps.Integrations.Tests.Discord.Gateway;

/// <summary>
/// The two REST calls the Gateway makes, against the Gateway peer's own <c>GET /gateway/bot</c> over real HTTP, and
/// interaction callbacks recorded; the rest of the API is not the Gateway's.
/// </summary>
internal sealed class PeerGatewayRest(DiscordGatewayPeer peer) : IDiscordRest, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = peer.ApiBaseUrl };

    public ConcurrentQueue<(string Id, string Token, JsonObject Response)> Callbacks { get; } = new();

    public async Task<DiscordGatewayInfo> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "gateway/bot");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bot {DiscordGatewayPeer.BotToken}");
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken))!;
        var limit = body.GetProperty("session_start_limit");
        return new DiscordGatewayInfo(new Uri(body.GetProperty("url").GetString()!), body.GetProperty("shards").GetInt32(),
            limit.GetProperty("remaining").GetInt32(), TimeSpan.FromMilliseconds(limit.GetProperty("reset_after").GetInt64()));
    }

    public Task CreateInteractionResponseAsync(string interactionId, string interactionToken, JsonObject response, CancellationToken cancellationToken)
    {
        Callbacks.Enqueue((interactionId, interactionToken, response));
        return Task.CompletedTask;
    }

    public Task<DiscordMessageRef> EditOriginalInteractionResponseAsync(string interactionToken, DiscordMessagePayload message, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteOriginalInteractionResponseAsync(string interactionToken, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DiscordMessageRef> CreateFollowupMessageAsync(string interactionToken, DiscordMessagePayload message, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DiscordMessageRef> EditFollowupMessageAsync(string interactionToken, string messageId, DiscordMessagePayload message, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DiscordMessageRef> CreateMessageAsync(string channelId, DiscordMessagePayload message, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DiscordMessageRef> EditMessageAsync(string channelId, string messageId, DiscordMessagePayload message, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> StartThreadFromMessageAsync(string channelId, string messageId, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<JsonArray> BulkOverwriteApplicationCommandsAsync(string? guildId, JsonArray commands, CancellationToken cancellationToken) => throw new NotSupportedException();

    public void Dispose() => _http.Dispose();
}
