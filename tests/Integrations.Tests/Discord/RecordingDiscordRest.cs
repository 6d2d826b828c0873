using System.Text.Json.Nodes;
using ChatOps.Integrations.Discord;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>
/// Discord's REST API as the sender sees it, recording each call by its route; messages get increasing snowflakes.
/// What the calls look like on the wire is checked against the OpenAPI spec by the functional tests' peer.
/// </summary>
internal sealed class RecordingDiscordRest : IDiscordRest
{
    private long _next = 1800000000000000000;

    public List<(string Route, string? Token, string? Channel, JsonObject? Body)> Calls { get; } = [];

    /// <summary>Thrown by <see cref="StartThreadFromMessageAsync"/> when set, as Discord refuses a second thread on one message.</summary>
    public Exception? ThreadFailure { get; set; }

    public string OriginalId { get; } = "1900000000000000001";

    public IEnumerable<string> Routes => Calls.Select(c => c.Route);

    public Task<DiscordGatewayInfo> GetGatewayBotAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task CreateInteractionResponseAsync(string interactionId, string interactionToken, JsonObject response, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<DiscordMessageRef> EditOriginalInteractionResponseAsync(string interactionToken, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        Calls.Add(("PATCH @original", interactionToken, null, message.Body));
        return Task.FromResult(new DiscordMessageRef(OriginalId, DiscordSamples.Channel));
    }

    public Task DeleteOriginalInteractionResponseAsync(string interactionToken, CancellationToken cancellationToken)
    {
        Calls.Add(("DELETE @original", interactionToken, null, null));
        return Task.CompletedTask;
    }

    public Task<DiscordMessageRef> CreateFollowupMessageAsync(string interactionToken, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        Calls.Add(("POST followup", interactionToken, null, message.Body));
        return Task.FromResult(new DiscordMessageRef(NextId(), DiscordSamples.Channel));
    }

    public Task<DiscordMessageRef> EditFollowupMessageAsync(string interactionToken, string messageId, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        Calls.Add(("PATCH followup", interactionToken, null, message.Body));
        return Task.FromResult(new DiscordMessageRef(messageId, DiscordSamples.Channel));
    }

    public Task<DiscordMessageRef> CreateMessageAsync(string channelId, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        Calls.Add(("POST message", null, channelId, message.Body));
        return Task.FromResult(new DiscordMessageRef(NextId(), channelId));
    }

    public Task<DiscordMessageRef> EditMessageAsync(string channelId, string messageId, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        Calls.Add(("PATCH message", null, channelId, message.Body));
        return Task.FromResult(new DiscordMessageRef(messageId, channelId));
    }

    public Task<string> StartThreadFromMessageAsync(string channelId, string messageId, string name, CancellationToken cancellationToken)
    {
        Calls.Add(("POST thread", null, channelId, new JsonObject { ["name"] = name, ["message_id"] = messageId }));
        return ThreadFailure is { } failure ? Task.FromException<string>(failure) : Task.FromResult("2000000000000000001");
    }

    public Task<JsonArray> BulkOverwriteApplicationCommandsAsync(string? guildId, JsonArray commands, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    private string NextId() => (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
