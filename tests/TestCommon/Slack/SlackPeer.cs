using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatOps.TestCommon.Slack;

/// <summary>
/// A Slack-compatible Web API and Socket Mode peer on loopback Kestrel. Every request is checked
/// against <see cref="SlackWebApiContract"/> (a violation is answered <c>invalid_arguments</c> and
/// recorded), tokens are checked, and chat.postMessage is held to one message per second per
/// channel with 429 + Retry-After, as Slack does. conversations.history and conversations.replies list
/// the messages it accepted, with their blocks (and so their block ids), in Slack's page shape.
/// </summary>
public sealed class SlackPeer : IAsyncDisposable
{
    public const string BotToken = "xoxb-peer-bot-token";
    public const string AppToken = "xapp-peer-app-token";
    public const string MissingChannel = "C0MISSING";
    public const string BotUser = "U0PEERBOT";
    public const string BotId = "B0PEERBOT";

    private readonly Lock _lock = new();
    private readonly List<PeerMessage> _messages = [];
    private readonly List<PeerMessage> _ephemeral = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<string> _violations = [];
    private readonly Dictionary<string, DateTimeOffset> _lastPost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _uploads = new(StringComparer.Ordinal);
    private readonly List<string?> _uploadAuthorization = [];
    private readonly HashSet<string> _completedFiles = new(StringComparer.Ordinal);
    private int _tsCounter;
    private int _fileCounter;
    private int _rateLimited;
    private int _connectionsOpened;
    private int _dropPostResponses;
    private LoopbackPeer _loopback = null!;

    private SlackPeer()
    {
    }

    public Uri Root => _loopback.Root;

    public Uri ApiBaseUrl => new(Root, "api/");

    /// <summary>The least gap between two messages in one channel before the peer answers 429.</summary>
    public TimeSpan ChannelInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock <see cref="ChannelInterval"/> is measured on: a test's manual clock makes the 429 window deterministic.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>When set, apps.connections.open answers <c>ok: false</c> with this error.</summary>
    public string? ConnectionsOpenError { get; set; }

    /// <summary>When set, apps.connections.open answers with this HTTP status and no body, as Slack does in an outage.</summary>
    public int? ConnectionsOpenStatus { get; set; }

    /// <summary>Plays one Socket Mode connection; the int is the connection's number, from 1.</summary>
    public Func<WebSocket, int, CancellationToken, Task>? SocketSession { get; set; }

    /// <summary>When set, conversations.history and conversations.replies answer <c>ok: false</c> with this error.</summary>
    public string? HistoryError { get; set; }

    /// <summary>
    /// Accepts the next <paramref name="count"/> messages and then drops the connection instead of answering,
    /// as a network failure (or a client that died) after Slack took the post looks to the client.
    /// </summary>
    public void DropPostResponses(int count) => Volatile.Write(ref _dropPostResponses, count);

    public int RateLimitedCount => Volatile.Read(ref _rateLimited);

    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    public IReadOnlyList<string> ContractViolations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<PeerMessage> MessagesIn(string channel)
    {
        lock (_lock)
        {
            return [.. _messages.Where(m => m.Channel == channel)];
        }
    }

    /// <summary>Ephemeral messages posted in a channel, each for one user; as in Slack, no history lists them.</summary>
    public IReadOnlyList<PeerMessage> EphemeralIn(string channel)
    {
        lock (_lock)
        {
            return [.. _ephemeral.Where(m => m.Channel == channel)];
        }
    }

    public byte[]? Upload(string fileId)
    {
        lock (_lock)
        {
            return _uploads.GetValueOrDefault(fileId);
        }
    }

    public IReadOnlyList<string?> UploadAuthorizationHeaders
    {
        get
        {
            lock (_lock)
            {
                return [.. _uploadAuthorization];
            }
        }
    }

    public static async Task<SlackPeer> StartAsync(CancellationToken cancellationToken)
    {
        var peer = new SlackPeer();
        peer._loopback = await LoopbackPeer.StartAsync(
            app =>
            {
                app.UseWebSockets();
                app.Map("/api/{method}", peer.HandleApiAsync);
                app.MapPost("/upload/{fileId}", peer.HandleUploadAsync);
                app.Map("/link", peer.HandleSocketAsync);
            },
            cancellationToken);
        return peer;
    }

    public ValueTask DisposeAsync() => _loopback.DisposeAsync();

    private async Task HandleApiAsync(HttpContext context, string method)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var recorded = new RecordedRequest(
            new HttpMethod(context.Request.Method),
            new Uri(context.Request.GetEncodedUrl()),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            context.Request.ContentType,
            body.Length == 0 ? null : body);
        var violations = SlackWebApiContract.Instance.Check(recorded);
        lock (_lock)
        {
            _requests.Add(recorded);
            _violations.AddRange(violations);
        }

        if (violations.Count > 0)
        {
            await ReplyAsync(context, new JsonObject { ["ok"] = false, ["error"] = "invalid_arguments" });
            return;
        }

        var expected = method == "apps.connections.open" ? AppToken : BotToken;
        if (recorded.Headers.GetValueOrDefault("Authorization") != $"Bearer {expected}")
        {
            await ReplyAsync(context, new JsonObject { ["ok"] = false, ["error"] = "invalid_auth" });
            return;
        }

        if (method == "apps.connections.open" && ConnectionsOpenStatus is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }

        var args = Arguments(recorded);
        var reply = method switch
        {
            "chat.postMessage" => PostMessage(context, args),
            "chat.update" => Update(args),
            "chat.postEphemeral" => PostEphemeral(args),
            "users.info" => UserInfo(args),
            "files.getUploadURLExternal" => GetUploadUrl(),
            "files.completeUploadExternal" => CompleteUpload(args),
            "apps.connections.open" => OpenConnection(),
            "conversations.history" => History(args),
            "conversations.replies" => Replies(args),
            _ => new JsonObject { ["ok"] = false, ["error"] = "unknown_method" },
        };
        if (method is "chat.postMessage" or "chat.postEphemeral" && reply?["ok"]?.GetValue<bool>() == true && Interlocked.Decrement(ref _dropPostResponses) >= 0)
        {
            context.Abort();
            return;
        }

        if (reply is not null)
        {
            await ReplyAsync(context, reply);
        }
    }

    private JsonObject? PostMessage(HttpContext context, Dictionary<string, JsonNode?> args)
    {
        var channel = args["channel"]!.GetValue<string>();
        if (channel == MissingChannel)
        {
            return new JsonObject { ["ok"] = false, ["error"] = "channel_not_found" };
        }

        // Posting to a user id opens a direct-message channel, as Slack does.
        if (channel.StartsWith('U'))
        {
            channel = "D" + channel[1..];
        }

        lock (_lock)
        {
            var now = Clock.GetUtcNow();
            if (_lastPost.TryGetValue(channel, out var last) && now - last < ChannelInterval)
            {
                _rateLimited++;
                var wait = ChannelInterval - (now - last);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return null;
            }

            _lastPost[channel] = now;
            var message = new PeerMessage(channel, NextTsLocked(), args.GetValueOrDefault("thread_ts")?.GetValue<string>())
            {
                Text = args.GetValueOrDefault("text")?.GetValue<string>() ?? "",
                Blocks = args.GetValueOrDefault("blocks")?.DeepClone() as JsonArray,
            };
            _messages.Add(message);
            return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = message.Ts, ["message"] = new JsonObject { ["text"] = message.Text } };
        }
    }

    private JsonObject PostEphemeral(Dictionary<string, JsonNode?> args)
    {
        var channel = args["channel"]!.GetValue<string>();
        if (channel == MissingChannel)
        {
            return new JsonObject { ["ok"] = false, ["error"] = "channel_not_found" };
        }

        lock (_lock)
        {
            var message = new PeerMessage(channel, NextTsLocked(), args.GetValueOrDefault("thread_ts")?.GetValue<string>())
            {
                Text = args.GetValueOrDefault("text")?.GetValue<string>() ?? "",
                Blocks = args.GetValueOrDefault("blocks")?.DeepClone() as JsonArray,
                VisibleTo = args["user"]!.GetValue<string>(),
            };
            _ephemeral.Add(message);
            return new JsonObject { ["ok"] = true, ["message_ts"] = message.Ts };
        }
    }

    private JsonObject Update(Dictionary<string, JsonNode?> args)
    {
        var channel = args["channel"]!.GetValue<string>();
        var ts = args["ts"]!.GetValue<string>();
        lock (_lock)
        {
            var message = _messages.FirstOrDefault(m => m.Channel == channel && m.Ts == ts);
            if (message is null)
            {
                return new JsonObject { ["ok"] = false, ["error"] = "message_not_found" };
            }

            message.Text = args.GetValueOrDefault("text")?.GetValue<string>() ?? "";
            message.Blocks = args.GetValueOrDefault("blocks")?.DeepClone() as JsonArray;
            message.Edits++;
            return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["text"] = message.Text };
        }
    }

    /// <summary>Top-level messages (and thread parents) of a channel, newest first, after <c>oldest</c>.</summary>
    private JsonObject History(Dictionary<string, JsonNode?> args)
    {
        var channel = args["channel"]!.GetValue<string>();
        if (ListingError(channel) is { } error)
        {
            return error;
        }

        List<PeerMessage> listed;
        lock (_lock)
        {
            listed = [.. _messages.Where(m => m.Channel == channel && (m.ThreadTs is null || m.ThreadTs == m.Ts) && InRange(m.Ts, args)).Reverse()];
        }

        var (page, next) = Page(listed, args, 100);
        var reply = new JsonObject
        {
            ["ok"] = true,
            ["messages"] = new JsonArray([.. page.Select(m => Listed(m, parent: false))]),
            ["has_more"] = next is not null,
            ["pin_count"] = 0,
            ["channel_actions_ts"] = null,
            ["channel_actions_count"] = 0,
        };
        return WithCursor(reply, next);
    }

    /// <summary>A thread: its parent first, then the replies after <c>oldest</c>, oldest first.</summary>
    private JsonObject Replies(Dictionary<string, JsonNode?> args)
    {
        var channel = args["channel"]!.GetValue<string>();
        var ts = args["ts"]!.GetValue<string>();
        if (ListingError(channel) is { } error)
        {
            return error;
        }

        List<PeerMessage> listed;
        lock (_lock)
        {
            var parent = _messages.FirstOrDefault(m => m.Channel == channel && m.Ts == ts);
            if (parent is null)
            {
                return new JsonObject { ["ok"] = false, ["error"] = "thread_not_found" };
            }

            listed = [parent, .. _messages.Where(m => m.Channel == channel && m.ThreadTs == ts && m.Ts != ts && InRange(m.Ts, args))];
        }

        var (page, next) = Page(listed, args, 1000);
        return WithCursor(new JsonObject
        {
            ["ok"] = true,
            ["messages"] = new JsonArray([.. page.Select(m => Listed(m, parent: m.Ts == ts))]),
            ["has_more"] = next is not null,
        }, next);
    }

    private JsonObject? ListingError(string channel) =>
        HistoryError is { } error ? new JsonObject { ["ok"] = false, ["error"] = error }
        : channel == MissingChannel ? new JsonObject { ["ok"] = false, ["error"] = "channel_not_found" }
        : null;

    private static bool InRange(string ts, Dictionary<string, JsonNode?> args)
    {
        var at = decimal.Parse(ts, CultureInfo.InvariantCulture);
        var inclusive = args.GetValueOrDefault("inclusive")?.GetValue<string>() is "true" or "1";
        if (args.GetValueOrDefault("oldest")?.GetValue<string>() is { } oldest)
        {
            var from = decimal.Parse(oldest, CultureInfo.InvariantCulture);
            if (inclusive ? at < from : at <= from)
            {
                return false;
            }
        }

        if (args.GetValueOrDefault("latest")?.GetValue<string>() is { } latest)
        {
            var to = decimal.Parse(latest, CultureInfo.InvariantCulture);
            if (inclusive ? at > to : at >= to)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Cursors are opaque to clients; here they are the offset of the next page.</summary>
    private static (List<PeerMessage> Page, string? Next) Page(List<PeerMessage> listed, Dictionary<string, JsonNode?> args, int defaultLimit)
    {
        var limit = args.GetValueOrDefault("limit")?.GetValue<string>() is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : defaultLimit;
        limit = Math.Clamp(limit, 1, 1000);
        var offset = args.GetValueOrDefault("cursor")?.GetValue<string>() is { Length: > 0 } cursor
            ? int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cursor))["next:".Length..], CultureInfo.InvariantCulture)
            : 0;
        var page = listed.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < listed.Count
            ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"next:{offset + page.Count}"))
            : null;
        return (page, next);
    }

    private static JsonObject WithCursor(JsonObject reply, string? next)
    {
        if (next is not null)
        {
            reply["response_metadata"] = new JsonObject { ["next_cursor"] = next };
        }

        return reply;
    }

    private JsonObject Listed(PeerMessage message, bool parent)
    {
        var listed = new JsonObject
        {
            ["type"] = "message",
            ["user"] = BotUser,
            ["bot_id"] = BotId,
            ["text"] = message.Text,
            ["ts"] = message.Ts,
        };
        if (message.Blocks is not null)
        {
            listed["blocks"] = message.Blocks.DeepClone();
        }

        if (message.ThreadTs is { } threadTs)
        {
            listed["thread_ts"] = threadTs;
            listed["parent_user_id"] = BotUser;
        }
        else if (parent)
        {
            lock (_lock)
            {
                listed["thread_ts"] = message.Ts;
                listed["reply_count"] = _messages.Count(m => m.ThreadTs == message.Ts);
                listed["subscribed"] = false;
            }
        }

        return listed;
    }

    private static JsonObject UserInfo(Dictionary<string, JsonNode?> args)
    {
        var user = args.GetValueOrDefault("user")?.GetValue<string>();
        return user is null or "U0UNKNOWN"
            ? new JsonObject { ["ok"] = false, ["error"] = "user_not_found" }
            : new JsonObject
            {
                ["ok"] = true,
                ["user"] = new JsonObject
                {
                    ["id"] = user,
                    ["name"] = "roadrunner",
                    ["real_name"] = "Road Runner",
                    ["is_bot"] = false,
                    ["deleted"] = false,
                    ["profile"] = new JsonObject { ["display_name"] = "rr", ["real_name"] = "Road Runner" },
                },
            };
    }

    private JsonObject GetUploadUrl()
    {
        var id = $"F{Interlocked.Increment(ref _fileCounter):D8}";
        return new JsonObject { ["ok"] = true, ["upload_url"] = new Uri(Root, $"upload/{id}").ToString(), ["file_id"] = id };
    }

    private async Task HandleUploadAsync(HttpContext context, string fileId)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        lock (_lock)
        {
            _uploads[fileId] = buffer.ToArray();
            _uploadAuthorization.Add(context.Request.Headers.Authorization.Count == 0 ? null : context.Request.Headers.Authorization.ToString());
        }

        await context.Response.WriteAsync($"OK - {buffer.Length}", context.RequestAborted);
    }

    private JsonObject CompleteUpload(Dictionary<string, JsonNode?> args)
    {
        var files = args["files"] is JsonArray array ? array : JsonNode.Parse(args["files"]!.GetValue<string>())!.AsArray();
        var result = new JsonArray();
        lock (_lock)
        {
            foreach (var file in files)
            {
                var id = file!["id"]!.GetValue<string>();
                if (!_uploads.ContainsKey(id))
                {
                    return new JsonObject { ["ok"] = false, ["error"] = "file_not_found" };
                }

                _completedFiles.Add(id);
                result.Add(new JsonObject { ["id"] = id, ["title"] = file["title"]?.GetValue<string>() ?? "" });
            }
        }

        return new JsonObject { ["ok"] = true, ["files"] = result };
    }

    public bool IsUploadCompleted(string fileId)
    {
        lock (_lock)
        {
            return _completedFiles.Contains(fileId);
        }
    }

    private JsonObject OpenConnection()
    {
        if (ConnectionsOpenError is { } error)
        {
            return new JsonObject { ["ok"] = false, ["error"] = error };
        }

        var ws = new UriBuilder(Root) { Scheme = "ws", Path = "link", Query = "ticket=t" }.Uri;
        return new JsonObject { ["ok"] = true, ["url"] = ws.ToString() };
    }

    private async Task HandleSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || SocketSession is not { } session)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var number = Interlocked.Increment(ref _connectionsOpened);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            await session(socket, number, context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away or the test ended.
        }
    }

    private string NextTs()
    {
        lock (_lock)
        {
            return NextTsLocked();
        }
    }

    private string NextTsLocked() => $"{TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()}.{++_tsCounter:D6}";

    private static Dictionary<string, JsonNode?> Arguments(RecordedRequest request)
    {
        var args = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in QueryHelpers.ParseQuery(request.Uri.Query))
        {
            args[key] = JsonValue.Create(value.ToString());
        }

        if (request.Body is null)
        {
            return args;
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            foreach (var (key, value) in JsonNode.Parse(request.Body)!.AsObject())
            {
                args[key] = value?.DeepClone();
            }
        }
        else
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(request.Body))
            {
                args[key] = JsonValue.Create(value.ToString());
            }
        }

        return args;
    }

    private static Task ReplyAsync(HttpContext context, JsonObject reply) =>
        context.Response.WriteAsync(reply.ToJsonString(), context.RequestAborted);

    /// <summary>Sends one JSON text frame on a Socket Mode connection.</summary>
    public static Task SendAsync(WebSocket socket, JsonObject message, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Receives one JSON text frame, or null when the client closed.</summary>
    public static async Task<JsonObject?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray())!.AsObject();
            }
        }
    }
}

/// <summary>A message as the peer holds it.</summary>
public sealed class PeerMessage(string channel, string ts, string? threadTs)
{
    public string Channel { get; } = channel;

    public string Ts { get; } = ts;

    public string? ThreadTs { get; } = threadTs;

    public string Text { get; set; } = "";

    public JsonArray? Blocks { get; set; }

    public int Edits { get; set; }

    /// <summary>The user an ephemeral message was posted for; null for a message everyone in the channel sees.</summary>
    public string? VisibleTo { get; init; }
}
