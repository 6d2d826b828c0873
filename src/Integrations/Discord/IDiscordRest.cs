using System.Text.Json.Nodes;

namespace ChatOps.Integrations.Discord;

/// <summary>Discord's REST API (v10) at <c>Discord:ApiBaseUrl</c>, with the bot token and Discord's rate limits.</summary>
internal interface IDiscordRest
{
    /// <summary><c>GET /gateway/bot</c>: where to connect the Gateway, and how many session starts are left.</summary>
    Task<DiscordGatewayInfo> GetGatewayBotAsync(CancellationToken cancellationToken);

    /// <summary><c>POST /interactions/{id}/{token}/callback</c>: answers an interaction received over the Gateway.</summary>
    Task CreateInteractionResponseAsync(string interactionId, string interactionToken, JsonObject response, CancellationToken cancellationToken);
}

/// <summary>The answer to <c>GET /gateway/bot</c>.</summary>
internal sealed record DiscordGatewayInfo(Uri Url, int Shards, int SessionStartsRemaining, TimeSpan SessionStartsResetAfter);
