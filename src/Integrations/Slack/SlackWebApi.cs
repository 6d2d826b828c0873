using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// The typed HttpClient behind <see cref="ISlackWebApi"/>. Tokens are added by
/// <see cref="SlackAuthenticationHandler"/>, pacing by <see cref="SlackRateLimitHandler"/> and retries by
/// <see cref="SlackRetryPipeline"/>;
/// this class only shapes requests and reads answers.
/// </summary>
internal sealed class SlackWebApi(HttpClient http, ILogger<SlackWebApi> logger) : ISlackWebApi
{
    public async Task<SlackPostedMessage> PostMessageAsync(string channel, SlackMessageContent content, string? threadTs = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(content);
        var body = MessageBody(channel, content);
        if (threadTs is not null)
        {
            body["thread_ts"] = threadTs;
        }

        var root = await CallAsync("chat.postMessage", HttpMethod.Post, Json(body), channel, SlackTokenKind.Bot, cancellationToken);
        return new SlackPostedMessage(Required(root, "channel", "chat.postMessage"), Required(root, "ts", "chat.postMessage"));
    }

    public async Task<SlackPostedMessage> UpdateMessageAsync(string channel, string ts, SlackMessageContent content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(ts);
        ArgumentNullException.ThrowIfNull(content);
        var body = MessageBody(channel, content);
        body["ts"] = ts;
        var root = await CallAsync("chat.update", HttpMethod.Post, Json(body), channel, SlackTokenKind.Bot, cancellationToken);
        return new SlackPostedMessage(Optional(root, "channel") ?? channel, Optional(root, "ts") ?? ts);
    }

    public async Task<string> PostEphemeralAsync(string channel, string user, SlackMessageContent content, string? threadTs = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(content);
        var body = MessageBody(channel, content);
        body["user"] = user;
        if (threadTs is not null)
        {
            body["thread_ts"] = threadTs;
        }

        var root = await CallAsync("chat.postEphemeral", HttpMethod.Post, Json(body), channel, SlackTokenKind.Bot, cancellationToken);
        return Required(root, "message_ts", "chat.postEphemeral");
    }

    public Task<SlackMessagePage> GetHistoryAsync(string channel, string? oldest = null, bool inclusive = false, int limit = 100, string? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        return ListMessagesAsync("conversations.history", channel, [("channel", channel)], oldest, inclusive, limit, cursor, cancellationToken);
    }

    public Task<SlackMessagePage> GetRepliesAsync(string channel, string ts, string? oldest = null, bool inclusive = false, int limit = 100, string? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(ts);
        return ListMessagesAsync("conversations.replies", channel, [("channel", channel), ("ts", ts)], oldest, inclusive, limit, cursor, cancellationToken);
    }

    public async Task<SlackUser> GetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        // users.info is declared as a GET with query arguments.
        var root = await CallAsync($"users.info?user={Uri.EscapeDataString(userId)}", HttpMethod.Get, null, null, SlackTokenKind.Bot, cancellationToken);
        if (!root.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.Object)
        {
            throw new SlackApiException("users.info", "invalid_response");
        }

        var profile = user.TryGetProperty("profile", out var p) ? p : default;
        return new SlackUser(
            Required(user, "id", "users.info"),
            Optional(user, "name") ?? userId,
            Optional(user, "real_name") ?? Optional(profile, "real_name"),
            Optional(profile, "display_name"),
            user.TryGetProperty("is_bot", out var isBot) && isBot.ValueKind == JsonValueKind.True,
            user.TryGetProperty("deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True);
    }

    public async Task<SlackUploadTarget> GetUploadUrlExternalAsync(string fileName, long length, string? altText = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        // This method reads its arguments from a form, not from a JSON body.
        var fields = new List<KeyValuePair<string, string>>
        {
            new("filename", fileName),
            new("length", length.ToString(CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(altText))
        {
            fields.Add(new("alt_txt", altText));
        }

        var root = await CallAsync("files.getUploadURLExternal", HttpMethod.Post, new FormUrlEncodedContent(fields), null, SlackTokenKind.Bot, cancellationToken);
        var url = Required(root, "upload_url", "files.getUploadURLExternal");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uploadUrl))
        {
            throw new SlackApiException("files.getUploadURLExternal", "invalid_response");
        }

        return new SlackUploadTarget(uploadUrl, Required(root, "file_id", "files.getUploadURLExternal"));
    }

    public async Task UploadFileContentAsync(SlackUploadTarget target, ReadOnlyMemory<byte> content, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        // The upload URL is pre-signed and lives outside the API base, so no token is attached to it.
        using var bytes = new ReadOnlyMemoryContent(content);
        bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, target.UploadUrl) { Content = bytes };
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new SlackApiException("upload_url", $"http_{(int)response.StatusCode}", response.StatusCode, SlackRateLimitHandler.RetryAfterOf(response));
        }
    }

    public async Task CompleteUploadExternalAsync(IReadOnlyList<SlackFileReference> files, string? channelId = null, string? threadTs = null, string? initialComment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentOutOfRangeException.ThrowIfZero(files.Count);
        var list = new JsonArray();
        foreach (var file in files)
        {
            var item = new JsonObject { ["id"] = file.Id };
            if (file.Title is not null)
            {
                item["title"] = file.Title;
            }

            list.Add(item);
        }

        var body = new JsonObject { ["files"] = list };
        if (channelId is not null)
        {
            body["channel_id"] = channelId;
        }

        if (threadTs is not null)
        {
            body["thread_ts"] = threadTs;
        }

        if (initialComment is not null)
        {
            body["initial_comment"] = initialComment;
        }

        await CallAsync("files.completeUploadExternal", HttpMethod.Post, Json(body), null, SlackTokenKind.Bot, cancellationToken);
    }

    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        // Slack wants the app-level token in the Authorization header and no arguments.
        var root = await CallAsync("apps.connections.open", HttpMethod.Post, null, null, SlackTokenKind.App, cancellationToken);
        var url = Required(root, "url", "apps.connections.open");
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == "wss" || uri.Scheme == "ws")
            ? uri
            : throw new SlackApiException("apps.connections.open", "invalid_response");
    }

    /// <summary>Both listing methods are declared as GETs with query arguments and answer the same page shape.</summary>
    private async Task<SlackMessagePage> ListMessagesAsync(string method, string channel, List<(string Name, string Value)> arguments, string? oldest, bool inclusive, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (oldest is not null)
        {
            arguments.Add(("oldest", oldest));
            arguments.Add(("inclusive", inclusive ? "true" : "false"));
        }

        arguments.Add(("limit", limit.ToString(CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(cursor))
        {
            arguments.Add(("cursor", cursor));
        }

        var query = string.Join('&', arguments.Select(a => $"{a.Name}={Uri.EscapeDataString(a.Value)}"));
        var root = await CallAsync($"{method}?{query}", HttpMethod.Get, null, channel, SlackTokenKind.Bot, cancellationToken);
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            throw new SlackApiException(method, "invalid_response");
        }

        var listed = new List<SlackListedMessage>();
        foreach (var message in messages.EnumerateArray())
        {
            if (Optional(message, "ts") is not { Length: > 0 } ts)
            {
                continue;
            }

            var blockIds = new List<string>();
            if (message.TryGetProperty("blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
            {
                blockIds.AddRange(blocks.EnumerateArray().Select(b => Optional(b, "block_id")).OfType<string>());
            }

            listed.Add(new SlackListedMessage(ts, Optional(message, "thread_ts"), blockIds));
        }

        var next = root.TryGetProperty("response_metadata", out var metadata) ? Optional(metadata, "next_cursor") : null;
        return new SlackMessagePage(listed, string.IsNullOrEmpty(next) ? null : next);
    }

    private static JsonObject MessageBody(string channel, SlackMessageContent content)
    {
        var body = new JsonObject { ["channel"] = channel, ["text"] = content.Text };
        if (content.Blocks is not null)
        {
            body["blocks"] = content.Blocks.DeepClone();
        }

        return body;
    }

    private static StringContent Json(JsonObject body) =>
        // StringContent with UTF-8 sends "application/json; charset=utf-8", which Slack asks for.
        new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonElement> CallAsync(string pathAndQuery, HttpMethod httpMethod, HttpContent? content, string? channel, SlackTokenKind token, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var method = pathAndQuery.Split('?')[0];
        using var request = new HttpRequestMessage(httpMethod, pathAndQuery) { Content = content };
        request.Options.Set(SlackRequestOptions.Method, method);
        request.Options.Set(SlackRequestOptions.Token, token);
        if (channel is not null)
        {
            request.Options.Set(SlackRequestOptions.Channel, channel);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new SlackApiException(method, "ratelimited", response.StatusCode, SlackRateLimitHandler.RetryAfterOf(response));
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new SlackApiException(method, $"http_{(int)response.StatusCode}", response.StatusCode, SlackRateLimitHandler.RetryAfterOf(response));
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SlackApiException(method, "invalid_response", response.StatusCode, innerException: e);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ok", out var ok))
        {
            throw new SlackApiException(method, "invalid_response", response.StatusCode);
        }

        if (ok.ValueKind != JsonValueKind.True)
        {
            var error = Optional(root, "error") ?? "unknown_error";
            Log.ApiError(logger, method, error);
            throw new SlackApiException(method, error, response.StatusCode, SlackRateLimitHandler.RetryAfterOf(response), Optional(root, "needed"), Optional(root, "provided"));
        }

        return root;
    }

    private static string? Optional(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Required(JsonElement element, string name, string method) =>
        Optional(element, name) is { Length: > 0 } value ? value : throw new SlackApiException(method, "invalid_response");
}
