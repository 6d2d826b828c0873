using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChatOps.TestCommon;

namespace ChatOps.Bot.FunctionalTests.Slack;

/// <summary>
/// Plays Slack's side of the request URLs: builds deliveries from Slack's own sample payloads
/// (tests/specs/slack/samples, ids filled in here) and signs them as Slack does
/// (v0 HMAC-SHA256 over <c>v0:timestamp:body</c> with the signing secret).
/// </summary>
public sealed class SlackDeliveries(HttpClient http, string signingSecret)
{
    private static readonly string Samples = SpecFiles.Path("slack", "samples");
    private int _triggers;

    public HttpClient Http => http;

    public Task<HttpResponseMessage> SlashCommandAsync(string user, string channel, string command, string text, string? userName = null)
    {
        var fields = Sample("app-backend", "slash-commands", "SlashCommandPayload.json");
        fields["team_id"] = "T0TEAM";
        fields["channel_id"] = channel;
        fields["user_id"] = user;
        fields["user_name"] = userName ?? user.ToLowerInvariant();
        fields["command"] = command;
        fields["text"] = text;
        fields["response_url"] = "https://hooks.slack.com/commands/T0TEAM/1/x";
        fields["trigger_id"] = $"{Interlocked.Increment(ref _triggers)}.{Guid.NewGuid():N}";
        var form = string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(Scalar(f.Value))}"));
        return SendAsync("/slack/commands", form, "application/x-www-form-urlencoded");
    }

    public Task<HttpResponseMessage> PressAsync(string user, string channel, string messageTs, string actionId)
    {
        var payload = Sample("app-backend", "interactive-components", "BlockActionPayload.json");
        payload["user"] = new JsonObject { ["id"] = user, ["username"] = user.ToLowerInvariant(), ["name"] = user.ToLowerInvariant(), ["team_id"] = "T0TEAM" };
        payload["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel, ["is_ephemeral"] = false };
        payload["channel"] = new JsonObject { ["id"] = channel, ["name"] = "ops" };
        payload["trigger_id"] = $"{Interlocked.Increment(ref _triggers)}.{Guid.NewGuid():N}";
        var action = payload["actions"]!.AsArray()[0]!.AsObject();
        action["type"] = "button";
        action["action_id"] = actionId;
        action["block_id"] = "actions";
        action["value"] = actionId;
        action["action_ts"] = $"{TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()}.{Interlocked.Increment(ref _triggers):D6}";
        payload["actions"] = new JsonArray(action.DeepClone());
        payload.Remove("view");
        payload.Remove("state");
        var form = "payload=" + Uri.EscapeDataString(payload.ToJsonString());
        return SendAsync("/slack/interactions", form, "application/x-www-form-urlencoded");
    }

    /// <summary>An Events API callback: <c>app_mention</c> in a channel, or a direct message (<c>message</c> in an im).</summary>
    public static string Event(string eventId, string user, string channel, string text, bool directMessage = false)
    {
        var callback = Sample("events", directMessage ? "MessagePayload.json" : "AppMentionPayload.json");
        callback["type"] = "event_callback";
        callback["team_id"] = "T0TEAM";
        callback["event_id"] = eventId;
        var ev = callback["event"]!.AsObject();
        // The samples list every optional field, blank; a person's message has no bot fields.
        foreach (var key in (string[])["bot_id", "bot_profile", "subtype", "app_id", "blocks", "attachments", "edited", "thread_ts", "parent_user_id"])
        {
            ev.Remove(key);
        }

        ev["user"] = user;
        ev["channel"] = channel;
        ev["text"] = text;
        ev["ts"] = $"{TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()}.000100";
        if (directMessage)
        {
            ev["channel_type"] = "im";
        }

        return callback.ToJsonString();
    }

    public Task<HttpResponseMessage> EventAsync(string json, int? retryNum = null) =>
        SendAsync("/slack/events", json, "application/json", retryNum);

    public async Task<HttpResponseMessage> SendAsync(string path, string body, string contentType, int? retryNum = null, string? signature = null, long? timestamp = null)
    {
        var ts = (timestamp ?? TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        request.Headers.Add("X-Slack-Signature", signature ?? Sign(signingSecret, ts, body));
        if (retryNum is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static string Sign(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    private static JsonObject Sample(params string[] path) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine([Samples, .. path])))!.AsObject();

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
