using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.JsonInput;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Turns Slack's three inbound shapes (slash-command forms, <c>block_actions</c> interaction
/// payloads, Events API callbacks) into <see cref="ChatRequest"/> and <see cref="ChatAction"/>.
/// The same translation serves HTTP endpoints and Socket Mode envelopes. Pure: no I/O, no clock.
/// </summary>
internal static partial class SlackInboundParser
{
    public const string Platform = "slack";

    /// <summary>A slash command as posted to <c>/slack/commands</c> (application/x-www-form-urlencoded).</summary>
    public static SlackInbound ParseSlashCommandForm(ReadOnlySpan<byte> body, bool isRetry = false)
    {
        var form = ParseForm(body);
        return ParseSlashCommand(key => form.TryGetValue(key, out var value) ? value : null, isRetry);
    }

    /// <summary>
    /// Slack's certificate check of a slash command's request URL: a form with <c>ssl_check=1</c> (and the
    /// legacy verification token) but no command. Slack expects a 200 and nothing else.
    /// </summary>
    public static bool IsSslCheck(ReadOnlySpan<byte> body)
    {
        var form = ParseForm(body);
        return form.TryGetValue("ssl_check", out var check) && check == "1" && !form.ContainsKey("command");
    }

    /// <summary>A button press as posted to <c>/slack/interactions</c>: a form whose <c>payload</c> field is JSON.</summary>
    public static SlackInbound ParseInteractionForm(ReadOnlySpan<byte> body, bool isRetry = false)
    {
        var form = ParseForm(body);
        if (!form.TryGetValue("payload", out var payload) || string.IsNullOrEmpty(payload))
        {
            return SlackInbound.Invalid("the form has no payload field");
        }

        return WithJson(payload, root => ParseInteraction(root, isRetry));
    }

    /// <summary>An Events API delivery as posted to <c>/slack/events</c> (application/json).</summary>
    public static SlackInbound ParseEventJson(ReadOnlySpan<byte> body, bool isRetry = false)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return StrictJson.FindProblem(document.RootElement) is { } problem
                ? SlackInbound.Invalid(problem.ToString())
                : ParseEvent(document.RootElement, isRetry);
        }
        catch (JsonException)
        {
            return SlackInbound.Invalid("the body is not JSON");
        }
    }

    /// <summary>A Socket Mode envelope's payload, by envelope type.</summary>
    public static SlackInbound ParseSocketPayload(string envelopeType, JsonElement payload, bool isRetry)
    {
        ArgumentNullException.ThrowIfNull(envelopeType);
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return SlackInbound.Invalid("the envelope has no payload object");
        }

        if (StrictJson.FindProblem(payload, "payload") is { } problem)
        {
            return SlackInbound.Invalid(problem.ToString());
        }

        return envelopeType switch
        {
            // Socket Mode carries the slash command's form fields as a JSON object of strings.
            "slash_commands" => ParseSlashCommand(key => GetString(payload, key), isRetry),
            "interactive" => ParseInteraction(payload, isRetry),
            "events_api" => ParseEvent(payload, isRetry),
            _ => SlackInbound.Ignored($"envelope type '{envelopeType}' is not handled", isRetry),
        };
    }

    internal static SlackInbound ParseSlashCommand(Func<string, string?> field, bool isRetry)
    {
        var command = field("command");
        var channel = field("channel_id");
        var user = field("user_id");
        var trigger = field("trigger_id");
        var missing = FirstMissing(("command", command), ("channel_id", channel), ("user_id", user), ("trigger_id", trigger));
        if (missing is not null)
        {
            return SlackInbound.Invalid($"the slash command has no {missing}");
        }

        // "/env" + "up test" reaches the command parser as "env up test", the same words a
        // message would carry, so one parser serves every way of asking.
        var name = command!.TrimStart('/');
        var text = Unescape(field("text") ?? "").Trim();
        var request = new ChatRequest(
            new ChatDestination(Platform, channel!),
            new ChatUser(Platform, user!, NullIfEmpty(field("user_name"))),
            text.Length == 0 ? name : $"{name} {text}",
            // Slack gives each invocation its own trigger id; slash commands have no event id.
            DeliveryId: trigger!);
        return new SlackInbound { Kind = SlackInboundKind.Request, Request = request, IsRetry = isRetry };
    }

    internal static SlackInbound ParseInteraction(JsonElement root, bool isRetry)
    {
        var type = GetString(root, "type");
        if (type != "block_actions")
        {
            return SlackInbound.Ignored($"interaction type '{type}' is not handled", isRetry);
        }

        var user = root.TryGetProperty("user", out var u) ? u : default;
        var userId = GetString(user, "id");
        var container = root.TryGetProperty("container", out var c) ? c : default;
        var channel = NullIfEmpty(GetString(container, "channel_id")) ?? GetString(root.TryGetProperty("channel", out var ch) ? ch : default, "id");
        var messageTs = NullIfEmpty(GetString(container, "message_ts")) ?? GetString(root.TryGetProperty("message", out var m) ? m : default, "ts");
        if (!root.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() == 0)
        {
            return SlackInbound.Invalid("block_actions has no actions");
        }

        // Our buttons are each in their own click: Slack sends one action per block_actions payload.
        var action = actions[0];
        var actionId = GetString(action, "action_id");
        var actionTs = GetString(action, "action_ts");
        var missing = FirstMissing(("user.id", userId), ("channel", channel), ("message ts", messageTs), ("action_id", actionId), ("action_ts", actionTs));
        if (missing is not null)
        {
            return SlackInbound.Invalid($"block_actions has no {missing}");
        }

        var chatAction = new ChatAction(
            new ChatDestination(Platform, channel!),
            new ChatUser(Platform, userId!, NullIfEmpty(GetString(user, "username")) ?? NullIfEmpty(GetString(user, "name"))),
            MessageId: messageTs!,
            ActionId: actionId!,
            // action_ts is unique per press; with the message and action it names this click alone.
            DeliveryId: $"{channel}:{messageTs}:{actionId}:{actionTs}");
        return new SlackInbound { Kind = SlackInboundKind.Action, Action = chatAction, IsRetry = isRetry };
    }

    internal static SlackInbound ParseEvent(JsonElement root, bool isRetry)
    {
        var type = GetString(root, "type");
        if (type == "url_verification")
        {
            var challenge = GetString(root, "challenge");
            return string.IsNullOrEmpty(challenge)
                ? SlackInbound.Invalid("url_verification has no challenge")
                : new SlackInbound { Kind = SlackInboundKind.UrlVerification, Challenge = challenge };
        }

        if (type != "event_callback")
        {
            return SlackInbound.Ignored($"callback type '{type}' is not handled", isRetry);
        }

        var eventId = GetString(root, "event_id");
        if (!root.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.Object)
        {
            return SlackInbound.Invalid("event_callback has no event");
        }

        if (string.IsNullOrEmpty(eventId))
        {
            return SlackInbound.Invalid("event_callback has no event_id");
        }

        var eventType = GetString(ev, "type");
        switch (eventType)
        {
            case "app_mention":
                break;
            case "message" when GetString(ev, "channel_type") == "im":
                // Only plain messages from people: edits, deletions and bot posts (our own replies
                // included) carry a subtype or bot_id and must never be read as commands.
                if (!string.IsNullOrEmpty(GetString(ev, "subtype")) || !string.IsNullOrEmpty(GetString(ev, "bot_id")))
                {
                    return SlackInbound.Ignored("direct message is an edit, deletion or bot post", isRetry);
                }

                break;
            case "message":
                // Channel messages reach us as app_mention when they address the bot.
                return SlackInbound.Ignored("channel message without a mention", isRetry);
            default:
                return SlackInbound.Ignored($"event type '{eventType}' is not handled", isRetry);
        }

        var user = GetString(ev, "user");
        var channel = GetString(ev, "channel");
        var ts = GetString(ev, "ts");
        var missing = FirstMissing(("user", user), ("channel", channel), ("ts", ts));
        if (missing is not null)
        {
            return SlackInbound.Invalid($"{eventType} has no {missing}");
        }

        var text = StripLeadingMentions(Unescape(GetString(ev, "text") ?? ""));
        var request = new ChatRequest(
            new ChatDestination(Platform, channel!),
            new ChatUser(Platform, user!),
            text,
            DeliveryId: eventId,
            MessageId: ts,
            ThreadOf: NullIfEmpty(GetString(ev, "thread_ts")));
        return new SlackInbound { Kind = SlackInboundKind.Request, Request = request, IsRetry = isRetry };
    }

    /// <summary>Removes the <c>&lt;@U…&gt;</c> mentions that address the bot at the start of a message.</summary>
    public static string StripLeadingMentions(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return LeadingMentions().Replace(text, "").Trim();
    }

    // Slack escapes these three in message and command text; the command parser wants the characters.
    private static string Unescape(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    private static Dictionary<string, string> ParseForm(ReadOnlySpan<byte> body)
    {
        var parsed = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        return parsed.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    private static SlackInbound WithJson(string json, Func<JsonElement, SlackInbound> parse)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return StrictJson.FindProblem(document.RootElement, "payload") is { } problem
                ? SlackInbound.Invalid(problem.ToString())
                : parse(document.RootElement);
        }
        catch (JsonException)
        {
            return SlackInbound.Invalid("the payload is not JSON");
        }
    }

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? FirstMissing(params ReadOnlySpan<(string Name, string? Value)> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return name;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>[\s,:]*)+")]
    private static partial Regex LeadingMentions();
}
