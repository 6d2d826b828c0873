using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOps.TestCommon.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatOps.TestCommon.Discord;

/// <summary>
/// A Discord REST v10 peer on loopback Kestrel, for the routes the bot uses: messages (create, edit), threads,
/// interaction callbacks, the interaction webhook (<c>@original</c> and follow-ups), bulk overwrite of application
/// commands (global and guild) and <c>GET /gateway/bot</c>. Every request is first checked against Discord's OpenAPI
/// document (<see cref="DiscordSpec"/>); one that does not validate is recorded in <see cref="SpecViolations"/> and
/// answered 400, as Discord answers an invalid form body. The bot token is checked (401 otherwise), every answer
/// carries rate-limit headers (<see cref="DiscordPeerRateLimits"/>), <c>nonce</c> with <c>enforce_nonce</c> returns
/// the message already made, and faults can be injected: 429s per route or global, 5xx, answers lost after the
/// message was made, expired interaction tokens.
/// </summary>
public sealed partial class DiscordRestPeer : IAsyncDisposable
{
    public const string BotToken = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.peer.bot-token";
    public const string ApplicationId = "1100000000000000001";

    /// <summary>A channel the bot cannot see: Discord answers 404 Unknown Channel (10003).</summary>
    public const string MissingChannel = "1999999999999999999";

    /// <summary>Where an interaction's messages go when the test did not say (<see cref="OpenInteraction"/>).</summary>
    public const string DefaultInteractionChannel = "1200000000000000001";

    /// <summary>How long Discord remembers a nonce with <c>enforce_nonce</c> ("the past few minutes").</summary>
    public static readonly TimeSpan NonceWindow = TimeSpan.FromMinutes(5);

    private const string BasePath = "/api/v10";

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly DiscordPeerRateLimits _limits;
    private readonly DiscordPeerCommands _commands = new(ApplicationId);
    private readonly List<DiscordPeerMessage> _messages = [];
    private readonly List<DiscordPeerRequest> _requests = [];
    private readonly List<string> _violations = [];
    private readonly List<DiscordPeerCallback> _callbacks = [];
    private readonly Dictionary<string, (string ChannelId, string? MessageId)> _interactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _originals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expiredTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<int>> _failures = new(StringComparer.Ordinal);
    private long _nextId = 1400000000000000000;
    private int _dropAfterCreate;
    private LoopbackPeer _loopback = null!;

    private DiscordRestPeer(TimeProvider time)
    {
        _time = time;
        _limits = new DiscordPeerRateLimits(time);
    }

    public Uri Root => _loopback.Root;

    /// <summary>What <c>Discord:ApiBaseUrl</c> is set to.</summary>
    public Uri ApiBaseUrl => new(Root, "api/v10/");

    /// <summary>What <c>GET /gateway/bot</c> answers as <c>url</c>: a Gateway peer's address in tests that connect.</summary>
    public Uri GatewayUrl { get; set; } = new("wss://gateway.discord.gg");

    public int SessionStartsRemaining { get; set; } = 1000;

    /// <summary>Requests that broke Discord's OpenAPI document or the User-Agent rule; a test asserts it is empty.</summary>
    public IReadOnlyList<string> SpecViolations => Locked(() => _violations.ToList());

    public IReadOnlyList<DiscordPeerRequest> Requests => Locked(() => _requests.ToList());

    public IReadOnlyList<DiscordPeerCallback> InteractionCallbacks => Locked(() => _callbacks.ToList());

    /// <summary>How many requests were answered 429, injected or earned.</summary>
    public int RateLimitedCount => Locked(() => _limits.RateLimited);

    /// <summary>Requests sent while their bucket or the global limit still refused them: a client that did not wait.</summary>
    public int EarlyRequests => Locked(() => _limits.EarlyRequests);

    /// <summary>How many bulk overwrites of commands were accepted.</summary>
    public int CommandOverwrites => Locked(() => _commands.Overwrites);

    public static async Task<DiscordRestPeer> StartAsync(TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var peer = new DiscordRestPeer(time ?? TimeProvider.System);
        peer._loopback = await LoopbackPeer.StartAsync(app => app.Map(BasePath + "/{**path}", peer.HandleAsync), cancellationToken);
        return peer;
    }

    public ValueTask DisposeAsync() => _loopback.DisposeAsync();

    /// <summary>Messages in a channel (or thread), oldest first, as they are now.</summary>
    public IReadOnlyList<DiscordPeerMessage> MessagesIn(string channelId) =>
        Locked(() => _messages.Where(m => m.ChannelId == channelId).Select(m => m.Snapshot()).ToList());

    public DiscordPeerMessage? Message(string messageId) => Locked(() => _messages.FirstOrDefault(m => m.Id == messageId)?.Snapshot());

    /// <summary>The original response of the interaction with <paramref name="token"/>, once it exists.</summary>
    public DiscordPeerMessage? OriginalResponse(string token) =>
        Locked(() => _originals.TryGetValue(token, out var id) ? _messages.FirstOrDefault(m => m.Id == id)?.Snapshot() : null);

    /// <summary>The commands registered globally, or in <paramref name="guildId"/>.</summary>
    public JsonArray Commands(string? guildId = null) => _commands.Get(guildId);

    /// <summary>Waits (bounded) for a message in <paramref name="channelId"/> that <paramref name="match"/> accepts.</summary>
    public Task<DiscordPeerMessage> WaitForMessageAsync(string channelId, Func<DiscordPeerMessage, bool> match, string what) =>
        Wait.ForAsync(() => MessagesIn(channelId).FirstOrDefault(match), what, lastSeen: () => Describe(channelId));

    public Task<DiscordPeerCallback> WaitForCallbackAsync(string interactionId, string what) =>
        Wait.ForAsync(() => InteractionCallbacks.FirstOrDefault(c => c.InteractionId == interactionId), what,
            lastSeen: () => string.Join("\n", InteractionCallbacks.Select(c => $"{c.InteractionId}: {c.Body.ToJsonString()}")));

    /// <summary>
    /// Says where an interaction happened, as Discord knows: its messages go to <paramref name="channelId"/>, and a
    /// component's update (type 7) edits <paramref name="messageId"/>. Interactions not opened go to
    /// <see cref="DefaultInteractionChannel"/>.
    /// </summary>
    public void OpenInteraction(string interactionId, string token, string channelId, string? messageId = null)
    {
        lock (_lock)
        {
            _interactions[interactionId] = (channelId, messageId);
            _interactions["token:" + token] = (channelId, messageId);
        }
    }

    /// <summary>The token's 15 minutes are over: its webhook answers 401 Invalid Webhook Token (50027).</summary>
    public void ExpireInteractionToken(string token)
    {
        lock (_lock)
        {
            _expiredTokens.Add(token);
        }
    }

    /// <summary>The next <paramref name="times"/> requests of <paramref name="operationId"/> (e.g. <c>create_message</c>) get a 429 on their route.</summary>
    public void RateLimit(string operationId, TimeSpan retryAfter, int times = 1) => _limits.Inject(operationId, retryAfter, times);

    /// <summary>The next request to any route not exempt starts the global limit for <paramref name="retryAfter"/>.</summary>
    public void RateLimitGlobally(TimeSpan retryAfter) => _limits.InjectGlobal(retryAfter);

    /// <summary>The allowance of <paramref name="operationId"/>'s bucket, per resource; answers beyond it are 429.</summary>
    public void SetRouteLimit(string operationId, int limit, TimeSpan window) => _limits.SetLimit(operationId, limit, window);

    /// <summary>The next <paramref name="times"/> requests of <paramref name="operationId"/> are answered <paramref name="status"/> without being acted on.</summary>
    public void FailNext(string operationId, HttpStatusCode status, int times = 1)
    {
        lock (_lock)
        {
            if (!_failures.TryGetValue(operationId, out var queue))
            {
                queue = new Queue<int>();
                _failures[operationId] = queue;
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue((int)status);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> created messages are kept, but the connection drops before the answer.</summary>
    public void DropAnswersAfterCreate(int count) => Interlocked.Exchange(ref _dropAfterCreate, count);

    private async Task HandleAsync(HttpContext context)
    {
        var (json, files, fileFields) = await ReadBodyAsync(context.Request, context.RequestAborted);
        var path = context.Request.Path.Value![BasePath.Length..];
        var method = context.Request.Method;
        var query = context.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))).ToList();
        var request = new OpenApiRequest(method, path, query, context.Request.ContentType, json, fileFields);
        var operation = DiscordSpec.Validator.Match(method, path, out _);
        var recorded = new DiscordPeerRequest(method, path, operation?.OperationId,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), context.Request.ContentType, json, fileFields);
        var violations = DiscordSpec.Validator.Check(request).ToList();
        var agent = context.Request.Headers.UserAgent.ToString();
        if (!UserAgentRule().IsMatch(agent))
        {
            violations.Add($"{method} {path}: User-Agent '{agent}' is not 'DiscordBot ($url, $versionNumber)' (reference, User Agent)");
        }

        lock (_lock)
        {
            _requests.Add(recorded);
            _violations.AddRange(violations);
        }

        var answer = violations.Count > 0 || operation is null
            ? Error(HttpStatusCode.BadRequest, 50035, "Invalid Form Body", SpecErrors(violations))
            : Authorize(context, operation) ?? Limit(context, operation) ?? Fail(operation) ?? Dispatch(operation, json, files, context);
        recorded.Status = answer.Status;
        if (answer.Drop)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = answer.Status;
        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body.ToJsonString(), context.RequestAborted);
        }
    }

    private Answer? Authorize(HttpContext context, OpenApiOperation operation)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var valid = authorization == $"Bot {BotToken}";
        var required = operation.CredentialRequired;
        return (required && !valid) || (!required && authorization.Length > 0 && !valid)
            ? Error(HttpStatusCode.Unauthorized, 0, "401: Unauthorized")
            : null;
    }

    private Answer? Limit(HttpContext context, OpenApiOperation operation)
    {
        var (refusal, headers) = _limits.Admit(operation.OperationId, MajorParameter(operation), ExemptFromGlobal(operation));
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        return refusal is null
            ? null
            : new Answer(429, new JsonObject
            {
                ["message"] = refusal.Global ? "You are being rate limited." : "You are being rate limited.",
                ["retry_after"] = Math.Round(refusal.RetryAfter.TotalSeconds, 3),
                ["global"] = refusal.Global,
            });
    }

    private Answer? Fail(OpenApiOperation operation)
    {
        lock (_lock)
        {
            return _failures.TryGetValue(operation.OperationId, out var queue) && queue.TryDequeue(out var status)
                ? new Answer(status, null)
                : null;
        }
    }

    private Answer Dispatch(OpenApiOperation operation, string? json, List<DiscordPeerAttachment> files, HttpContext context)
    {
        var body = json is null ? null : JsonNode.Parse(json);
        var p = operation.PathParameters;
        return operation.OperationId switch
        {
            "get_bot_gateway" => new Answer(200, new JsonObject
            {
                ["url"] = GatewayUrl.ToString(),
                ["shards"] = 1,
                ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = SessionStartsRemaining, ["reset_after"] = 86_400_000, ["max_concurrency"] = 1 },
            }),
            "create_message" => CreateMessage(p["channel_id"], (JsonObject)body!, files),
            "update_message" => EditMessage(p["channel_id"], p["message_id"], (JsonObject)body!, files),
            "create_thread_from_message" => StartThread(p["channel_id"], p["message_id"], (JsonObject)body!),
            "create_interaction_response" => Callback(p["interaction_id"], Uri.UnescapeDataString(p["interaction_token"]), (JsonObject)body!, files),
            "update_original_webhook_message" => Webhook(p, () => EditOriginal(Uri.UnescapeDataString(p["webhook_token"]), (JsonObject)body!, files)),
            "delete_original_webhook_message" => Webhook(p, () => DeleteOriginal(Uri.UnescapeDataString(p["webhook_token"]))),
            "execute_webhook" => Webhook(p, () => Followup(Uri.UnescapeDataString(p["webhook_token"]), (JsonObject)body!, files)),
            "update_webhook_message" => Webhook(p, () => EditFollowup(Uri.UnescapeDataString(p["webhook_token"]), p["message_id"], (JsonObject)body!, files)),
            "bulk_set_application_commands" => Overwrite(null, body as JsonArray ?? []),
            "bulk_set_guild_application_commands" => Overwrite(p["guild_id"], body as JsonArray ?? []),
            _ => Error(HttpStatusCode.MethodNotAllowed, 0, $"{operation.OperationId} is not played by this peer"),
        };
    }

    private Answer CreateMessage(string channelId, JsonObject body, List<DiscordPeerAttachment> files)
    {
        if (channelId == MissingChannel)
        {
            return Error(HttpStatusCode.NotFound, 10003, "Unknown Channel");
        }

        if (Refuse(body, files, creating: true) is { } refused)
        {
            return refused;
        }

        var nonce = body["nonce"]?.ToString();
        var enforce = body["enforce_nonce"]?.GetValueKind() == JsonValueKind.True;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (enforce && nonce is not null
                && _messages.FirstOrDefault(m => m.ChannelId == channelId && m.Nonce == nonce && now - m.CreatedAt < NonceWindow) is { } existing)
            {
                return new Answer(200, existing.ToJson(ApplicationId));
            }

            var message = new DiscordPeerMessage(NextIdLocked(), channelId) { CreatedAt = now, Nonce = nonce };
            Apply(message, body, files);
            _messages.Add(message);
            return Created(message);
        }
    }

    private Answer EditMessage(string channelId, string messageId, JsonObject body, List<DiscordPeerAttachment> files)
    {
        if (Refuse(body, files, creating: false) is { } refused)
        {
            return refused;
        }

        lock (_lock)
        {
            var message = _messages.FirstOrDefault(m => m.Id == messageId && m.ChannelId == channelId);
            if (message is null)
            {
                return Error(HttpStatusCode.NotFound, 10008, "Unknown Message");
            }

            Apply(message, body, files);
            message.Edits++;
            return new Answer(200, message.ToJson(ApplicationId));
        }
    }

    private Answer StartThread(string channelId, string messageId, JsonObject body)
    {
        lock (_lock)
        {
            var message = _messages.FirstOrDefault(m => m.Id == messageId && m.ChannelId == channelId);
            if (message is null)
            {
                return Error(HttpStatusCode.NotFound, 10008, "Unknown Message");
            }

            if (message.ThreadId is not null)
            {
                return Error(HttpStatusCode.BadRequest, 160004, "A thread has already been created for this message");
            }

            message.ThreadId = NextIdLocked();
            return new Answer(201, new JsonObject
            {
                ["id"] = message.ThreadId,
                ["type"] = 11,
                ["parent_id"] = channelId,
                ["name"] = body["name"]?.GetValue<string>(),
                ["owner_id"] = ApplicationId,
                ["message_count"] = 0,
                ["member_count"] = 1,
                ["thread_metadata"] = new JsonObject { ["archived"] = false, ["auto_archive_duration"] = 1440, ["locked"] = false },
            });
        }
    }

    private Answer Callback(string interactionId, string token, JsonObject body, List<DiscordPeerAttachment> files)
    {
        var type = body["type"]!.GetValue<int>();
        lock (_lock)
        {
            if (_expiredTokens.Contains(token))
            {
                return Error(HttpStatusCode.NotFound, 10062, "Unknown interaction");
            }

            if (_callbacks.Any(c => c.InteractionId == interactionId))
            {
                return Error(HttpStatusCode.BadRequest, 40060, "Interaction has already been acknowledged.");
            }

            _callbacks.Add(new DiscordPeerCallback(interactionId, token, type, (JsonObject)body.DeepClone()));
            var (channelId, messageId) = _interactions.GetValueOrDefault(interactionId, (DefaultInteractionChannel, null));
            var data = body["data"] as JsonObject ?? [];
            if (type is 4 or 5)
            {
                var original = new DiscordPeerMessage(NextIdLocked(), channelId) { CreatedAt = _time.GetUtcNow(), InteractionToken = token, Deferred = type == 5 };
                Apply(original, data, files);
                _messages.Add(original);
                _originals[token] = original.Id;
            }
            else if (type == 7 && messageId is not null && _messages.FirstOrDefault(m => m.Id == messageId) is { } updated)
            {
                Apply(updated, data, files);
                updated.Edits++;
                _originals[token] = updated.Id;
            }

            return new Answer(204, null);
        }
    }

    private Answer Webhook(IReadOnlyDictionary<string, string> p, Func<Answer> then)
    {
        if (p["webhook_id"] != ApplicationId)
        {
            return Error(HttpStatusCode.NotFound, 10015, "Unknown Webhook");
        }

        lock (_lock)
        {
            if (_expiredTokens.Contains(Uri.UnescapeDataString(p["webhook_token"])))
            {
                return Error(HttpStatusCode.Unauthorized, 50027, "Invalid Webhook Token");
            }
        }

        return then();
    }

    private Answer EditOriginal(string token, JsonObject body, List<DiscordPeerAttachment> files)
    {
        if (Refuse(body, files, creating: false) is { } refused)
        {
            return refused;
        }

        lock (_lock)
        {
            var message = _originals.TryGetValue(token, out var id) ? _messages.FirstOrDefault(m => m.Id == id) : null;
            if (message is null)
            {
                // The interaction was answered over HTTP (the endpoint's deferral), which the peer did not see.
                var channelId = _interactions.GetValueOrDefault("token:" + token, (DefaultInteractionChannel, null)).ChannelId;
                message = new DiscordPeerMessage(NextIdLocked(), channelId) { CreatedAt = _time.GetUtcNow(), InteractionToken = token };
                _messages.Add(message);
                _originals[token] = message.Id;
            }
            else
            {
                message.Edits++;
            }

            message.Deferred = false;
            Apply(message, body, files);
            return new Answer(200, message.ToJson(ApplicationId));
        }
    }

    private Answer DeleteOriginal(string token)
    {
        lock (_lock)
        {
            if (!_originals.Remove(token, out var id))
            {
                return Error(HttpStatusCode.NotFound, 10008, "Unknown Message");
            }

            _messages.RemoveAll(m => m.Id == id);
            return new Answer(204, null);
        }
    }

    private Answer Followup(string token, JsonObject body, List<DiscordPeerAttachment> files)
    {
        if (Refuse(body, files, creating: true) is { } refused)
        {
            return refused;
        }

        lock (_lock)
        {
            var channelId = _interactions.GetValueOrDefault("token:" + token, (DefaultInteractionChannel, null)).ChannelId;
            var message = new DiscordPeerMessage(NextIdLocked(), channelId) { CreatedAt = _time.GetUtcNow(), InteractionToken = token };
            Apply(message, body, files);
            _messages.Add(message);
            return Created(message);
        }
    }

    private Answer EditFollowup(string token, string messageId, JsonObject body, List<DiscordPeerAttachment> files)
    {
        if (Refuse(body, files, creating: false) is { } refused)
        {
            return refused;
        }

        lock (_lock)
        {
            var message = _messages.FirstOrDefault(m => m.Id == messageId && m.InteractionToken == token);
            if (message is null)
            {
                return Error(HttpStatusCode.NotFound, 10008, "Unknown Message");
            }

            Apply(message, body, files);
            message.Edits++;
            return new Answer(200, message.ToJson(ApplicationId));
        }
    }

    private Answer Overwrite(string? guildId, JsonArray commands)
    {
        var (stored, errors) = _commands.Overwrite(guildId, commands);
        return errors is not null ? Error(HttpStatusCode.BadRequest, 50035, "Invalid Form Body", errors) : new Answer(200, stored);
    }

    /// <summary>A message made: answered, or with <see cref="DropAnswersAfterCreate"/> kept but not answered.</summary>
    private Answer Created(DiscordPeerMessage message) =>
        Interlocked.Decrement(ref _dropAfterCreate) >= 0 ? new Answer(0, null, Drop: true) : new Answer(200, message.ToJson(ApplicationId));

    /// <summary>Discord's limits beyond the OpenAPI schema (message resource): 2,000 characters of content, embed sizes, no empty message.</summary>
    private static Answer? Refuse(JsonObject body, List<DiscordPeerAttachment> files, bool creating)
    {
        var errors = new JsonObject();
        if (body["content"]?.GetValueKind() == JsonValueKind.String && body["content"]!.GetValue<string>().EnumerateRunes().Count() > 2000)
        {
            DiscordPeerCommands.Add(errors, ["content"], "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
        }

        var total = 0;
        var embeds = body["embeds"] as JsonArray ?? [];
        for (var i = 0; i < embeds.Count; i++)
        {
            var at = i.ToString(CultureInfo.InvariantCulture);
            foreach (var (field, max) in new[] { ("title", 256), ("description", 4096) })
            {
                var length = embeds[i]?[field]?.GetValueKind() == JsonValueKind.String ? embeds[i]![field]!.GetValue<string>().EnumerateRunes().Count() : 0;
                total += length;
                if (length > max)
                {
                    DiscordPeerCommands.Add(errors, ["embeds", at, field], "BASE_TYPE_MAX_LENGTH", $"Must be {max} or fewer in length.");
                }
            }
        }

        if (total > 6000)
        {
            DiscordPeerCommands.Add(errors, ["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
        }

        if (errors.Count > 0)
        {
            return Error(HttpStatusCode.BadRequest, 50035, "Invalid Form Body", errors);
        }

        var empty = string.IsNullOrEmpty(body["content"]?.ToString()) && embeds.Count == 0 && (body["components"] as JsonArray ?? []).Count == 0
            && files.Count == 0 && body["poll"] is null && (body["sticker_ids"] as JsonArray ?? []).Count == 0;
        return creating && empty ? Error(HttpStatusCode.BadRequest, 50006, "Cannot send an empty message") : null;
    }

    private void Apply(DiscordPeerMessage message, JsonObject body, List<DiscordPeerAttachment> files)
    {
        if (body.ContainsKey("content"))
        {
            message.Content = body["content"]?.ToString() ?? "";
        }

        if (body.ContainsKey("embeds"))
        {
            message.Embeds = body["embeds"]?.DeepClone() as JsonArray ?? [];
        }

        if (body.ContainsKey("components"))
        {
            message.Components = body["components"]?.DeepClone() as JsonArray ?? [];
        }

        if (body["flags"] is JsonValue flags && flags.GetValueKind() == JsonValueKind.Number)
        {
            message.Flags = flags.GetValue<long>();
        }

        if (body["attachments"] is JsonArray keep)
        {
            // The list names every attachment the message keeps, old ones by id and new ones by their file's index.
            var kept = keep.OfType<JsonObject>().Select(a => a["id"]?.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var old in message.Attachments.Where(a => !kept.Contains(a.Value.Id)).Select(a => a.Key).ToList())
            {
                message.Attachments.Remove(old);
            }
        }

        foreach (var file in files)
        {
            message.Attachments[file.FileName] = file with { Id = NextIdLocked() };
        }
    }

    private static async Task<(string? Json, List<DiscordPeerAttachment> Files, List<string> FileFields)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var files = new List<DiscordPeerAttachment>();
        var fields = new List<string>();
        if (request.HasFormContentType && request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var file in form.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                fields.Add(file.Name);
                files.Add(new DiscordPeerAttachment("", file.FileName, file.ContentType, buffer.ToArray()));
            }

            return (form.TryGetValue("payload_json", out var payload) ? payload.ToString() : null, files, fields);
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return (text.Length == 0 ? null : text, files, fields);
    }

    private static string MajorParameter(OpenApiOperation operation)
    {
        var p = operation.PathParameters;
        return p.TryGetValue("channel_id", out var channel) ? $"channel:{channel}"
            : p.TryGetValue("guild_id", out var guild) ? $"guild:{guild}"
            : p.TryGetValue("webhook_id", out var webhook) ? $"webhook:{webhook}/{p.GetValueOrDefault("webhook_token")}"
            : p.TryGetValue("interaction_id", out var interaction) ? $"interaction:{interaction}"
            : "";
    }

    /// <summary>Interaction endpoints are not bound to the bot's global limit (rate-limits topic).</summary>
    private static bool ExemptFromGlobal(OpenApiOperation operation) =>
        operation.PathParameters.ContainsKey("interaction_token") || (operation.PathParameters.TryGetValue("webhook_id", out var id) && id == ApplicationId);

    private static JsonObject SpecErrors(IEnumerable<string> violations)
    {
        var errors = new JsonObject();
        foreach (var violation in violations)
        {
            DiscordPeerCommands.Add(errors, [], "OPENAPI_VIOLATION", violation);
        }

        return errors;
    }

    private static Answer Error(HttpStatusCode status, int code, string message, JsonObject? errors = null)
    {
        var body = new JsonObject { ["code"] = code, ["message"] = message };
        if (errors is not null)
        {
            body["errors"] = errors;
        }

        return new Answer((int)status, body);
    }

    private string NextIdLocked() => (++_nextId).ToString(CultureInfo.InvariantCulture);

    private string Describe(string channelId) =>
        string.Join("\n", MessagesIn(channelId).Select(m => $"{m.Id}: {m.Content} embeds={m.Embeds.ToJsonString()} edits={m.Edits}"))
        + $"\nviolations: {string.Join("; ", SpecViolations)}";

    private T Locked<T>(Func<T> read)
    {
        lock (_lock)
        {
            return read();
        }
    }

    [GeneratedRegex(@"^DiscordBot \(\S+, \S+\)$")]
    private static partial Regex UserAgentRule();

    private sealed record Answer(int Status, JsonNode? Body, bool Drop = false);
}
