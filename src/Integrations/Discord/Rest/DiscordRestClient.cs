using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Discord.Rest;

/// <summary>
/// The typed HttpClient behind <see cref="IDiscordRest"/>. The token and user agent are the client's default headers
/// (<see cref="DiscordRestServiceCollectionExtensions"/>), waiting by <see cref="DiscordRateLimitHandler"/> and
/// retries by <see cref="DiscordRetryPipeline"/>; this class only shapes requests, names their routes and reads answers.
/// </summary>
internal sealed class DiscordRestClient(HttpClient http, IOptions<DiscordOptions> options, ILogger<DiscordRestClient> logger) : IDiscordRest
{
    private const string ChannelMessages = "/channels/{channel_id}/messages";

    public async Task<DiscordGatewayInfo> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        var route = new DiscordRoute("GET", "/gateway/bot", "") { SafeToRepeat = true };
        var answer = await SendAsync(route, HttpMethod.Get, "gateway/bot", null, cancellationToken);
        var url = Text(answer, "url");
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("wss" or "ws"))
        {
            throw Invalid(route, $"its url '{url}' is not a WebSocket address");
        }

        var limit = answer?["session_start_limit"];
        return new DiscordGatewayInfo(
            uri,
            Integer(answer, "shards") ?? 1,
            Integer(limit, "remaining") ?? 0,
            TimeSpan.FromMilliseconds(Integer(limit, "reset_after") ?? 0));
    }

    public async Task CreateInteractionResponseAsync(string interactionId, string interactionToken, JsonObject response, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionId);
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        ArgumentNullException.ThrowIfNull(response);
        // An interaction is answered once: a repeat after a lost answer would be refused, so it is not repeated.
        var route = new DiscordRoute("POST", "/interactions/{interaction_id}/{interaction_token}/callback", $"interaction:{interactionId}") { ExemptFromGlobalLimit = true };
        await SendAsync(route, HttpMethod.Post, $"interactions/{Segment(interactionId)}/{Segment(interactionToken)}/callback", Json(response), cancellationToken);
    }

    public Task<DiscordMessageRef> EditOriginalInteractionResponseAsync(string interactionToken, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        ArgumentNullException.ThrowIfNull(message);
        var route = WebhookRoute("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", interactionToken) with { SafeToRepeat = true };
        return SendMessageAsync(route, HttpMethod.Patch, $"{WebhookPath(interactionToken)}/messages/@original", message, cancellationToken);
    }

    public async Task DeleteOriginalInteractionResponseAsync(string interactionToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        var route = WebhookRoute("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", interactionToken) with { SafeToRepeat = true };
        await SendAsync(route, HttpMethod.Delete, $"{WebhookPath(interactionToken)}/messages/@original", null, cancellationToken);
    }

    public Task<DiscordMessageRef> CreateFollowupMessageAsync(string interactionToken, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        ArgumentNullException.ThrowIfNull(message);
        // Webhook messages take no nonce, so a follow-up whose answer was lost is not sent again.
        var route = WebhookRoute("POST", "/webhooks/{webhook_id}/{webhook_token}", interactionToken);
        return SendMessageAsync(route, HttpMethod.Post, WebhookPath(interactionToken), message, cancellationToken);
    }

    public Task<DiscordMessageRef> EditFollowupMessageAsync(string interactionToken, string messageId, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(message);
        var route = WebhookRoute("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", interactionToken) with { SafeToRepeat = true };
        return SendMessageAsync(route, HttpMethod.Patch, $"{WebhookPath(interactionToken)}/messages/{Segment(messageId)}", message, cancellationToken);
    }

    public Task<DiscordMessageRef> CreateMessageAsync(string channelId, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentNullException.ThrowIfNull(message);
        var route = new DiscordRoute("POST", ChannelMessages, $"channel:{channelId}") { SafeToRepeat = EnforcesNonce(message.Body) };
        return SendMessageAsync(route, HttpMethod.Post, $"channels/{Segment(channelId)}/messages", message, cancellationToken);
    }

    public Task<DiscordMessageRef> EditMessageAsync(string channelId, string messageId, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(message);
        var route = new DiscordRoute("PATCH", ChannelMessages + "/{message_id}", $"channel:{channelId}") { SafeToRepeat = true };
        return SendMessageAsync(route, HttpMethod.Patch, $"channels/{Segment(channelId)}/messages/{Segment(messageId)}", message, cancellationToken);
    }

    public async Task<string> StartThreadFromMessageAsync(string channelId, string messageId, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        // A message has at most one thread: a repeat is refused, so a lost answer is not repeated.
        var route = new DiscordRoute("POST", ChannelMessages + "/{message_id}/threads", $"channel:{channelId}");
        var answer = await SendAsync(route, HttpMethod.Post, $"channels/{Segment(channelId)}/messages/{Segment(messageId)}/threads", Json(new JsonObject { ["name"] = name }), cancellationToken);
        return Text(answer, "id") ?? throw Invalid(route, "the thread has no id");
    }

    public async Task<JsonArray> BulkOverwriteApplicationCommandsAsync(string? guildId, JsonArray commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var application = Segment(ApplicationId());
        var route = guildId is null
            ? new DiscordRoute("PUT", "/applications/{application_id}/commands", "") { SafeToRepeat = true }
            : new DiscordRoute("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", $"guild:{guildId}") { SafeToRepeat = true };
        var path = guildId is null ? $"applications/{application}/commands" : $"applications/{application}/guilds/{Segment(guildId)}/commands";
        var content = new StringContent(commands.ToJsonString(), Encoding.UTF8, "application/json");
        var answer = await SendAsync(route, HttpMethod.Put, path, content, cancellationToken);
        return answer as JsonArray ?? throw Invalid(route, "the answer is not a list of commands");
    }

    /// <summary>A create with a nonce Discord checks for uniqueness is answered with the first message when repeated.</summary>
    internal static bool EnforcesNonce(JsonObject body) =>
        body["nonce"] is JsonValue nonce && nonce.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
        && body["enforce_nonce"] is JsonValue enforce && enforce.GetValueKind() == JsonValueKind.True;

    private async Task<DiscordMessageRef> SendMessageAsync(DiscordRoute route, HttpMethod method, string path, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(route, method, path, MessageContent(message), cancellationToken);
        var id = Text(answer, "id");
        var channel = Text(answer, "channel_id");
        return id is null || channel is null ? throw Invalid(route, "the message has no id or channel_id") : new DiscordMessageRef(id, channel);
    }

    private async Task<JsonNode?> SendAsync(DiscordRoute route, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Options.Set(DiscordRequestOptions.Route, route);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var (code, message, fields) = DiscordErrorBody.Parse(body, $"{(int)response.StatusCode} {response.ReasonPhrase}");
            DiscordRateLimitRefusal? refusal = null;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                request.Options.TryGetValue(DiscordRateLimitHandler.LastRefusal, out refusal);
            }

            DiscordRestLog.ApiError(logger, route, (int)response.StatusCode, code, message, fields.Count == 0 ? "" : $" ({string.Join("; ", fields)})");
            throw new DiscordApiException(route, response.StatusCode, code, message, fields, refusal);
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw new DiscordApiException(route, response.StatusCode, null, "the answer is not JSON", [], innerException: e);
        }
    }

    /// <summary>
    /// JSON, or with files <c>multipart/form-data</c>: the body as <c>payload_json</c> and each file as <c>files[n]</c>
    /// (message resource, "Uploading Files"). Without an <c>attachments</c> list of its own the body gets one naming
    /// every file, so <c>attachment://name</c> in an embed finds it.
    /// </summary>
    private static HttpContent MessageContent(DiscordMessagePayload message)
    {
        if (message.Files.Count == 0)
        {
            return Json(message.Body);
        }

        var body = (JsonObject)message.Body.DeepClone();
        if (!body.ContainsKey("attachments"))
        {
            body["attachments"] = new JsonArray([.. message.Files.Select((file, i) => (JsonNode)new JsonObject { ["id"] = i.ToString(CultureInfo.InvariantCulture), ["filename"] = file.FileName })]);
        }

        var multipart = new MultipartFormDataContent();
        multipart.Add(Json(body), "payload_json");
        for (var i = 0; i < message.Files.Count; i++)
        {
            var file = message.Files[i];
            var part = new ReadOnlyMemoryContent(file.Content);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
            multipart.Add(part, $"files[{i}]", file.FileName);
        }

        return multipart;
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private DiscordRoute WebhookRoute(string method, string template, string token) =>
        new(method, template, $"webhook:{ApplicationId()}/{token}") { ExemptFromGlobalLimit = true };

    private string WebhookPath(string token) => $"webhooks/{Segment(ApplicationId())}/{Segment(token)}";

    private string ApplicationId() =>
        options.Value.ApplicationId?.Trim() is { Length: > 0 } id
            ? id
            : throw new InvalidOperationException("Discord:ApplicationId is not configured: interaction webhooks and application commands are addressed by it. Set Discord__ApplicationId from the developer portal's General Information page.");

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static DiscordApiException Invalid(DiscordRoute route, string why) =>
        new(route, HttpStatusCode.OK, null, $"the answer is not what Discord documents: {why}", []);

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static int? Integer(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i
        : node is JsonObject o2 && o2[name] is JsonValue v2 && v2.GetValueKind() == JsonValueKind.Number ? (int)Math.Min(int.MaxValue, v2.GetValue<double>())
        : null;
}
