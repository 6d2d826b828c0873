using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatOps.TestCommon.Discord;

/// <summary>
/// A Discord Gateway on loopback Kestrel, following Discord's Gateway documentation: Hello with the interval a test
/// chooses, Identify and Resume checked field by field (a wrong token closes with 4004, a privileged intent the
/// "portal" has not switched on with 4014, a resume with an unknown sequence with 4007), READY with a session id and a
/// resume URL pointing back here, dispatches numbered by <c>s</c>, heartbeats checked to carry the last sequence the
/// client had and answered with op 11, and on Resume the events the client missed replayed before RESUMED. A test
/// drives the other side: dispatch, drop the TCP connection, send op 7 or op 9, close with a code. Whatever the
/// client does against the documentation is recorded in <see cref="Violations"/>. The <see cref="DiscordRestPeer"/>'s
/// <c>GET /gateway/bot</c> points here when its <see cref="DiscordRestPeer.GatewayUrl"/> is set to <see cref="GatewayUrl"/>.
/// </summary>
public sealed class DiscordGatewayPeer : IAsyncDisposable
{
    /// <summary>The token the REST peer expects too: one application on one fake Discord.</summary>
    public const string BotToken = DiscordRestPeer.BotToken;

    /// <summary>The bot's user id in READY; unlike the application id on purpose, so the bot must take it from READY.</summary>
    public const string BotUserId = "1300000000000000001";
    public const string ApplicationId = DiscordRestPeer.ApplicationId;

    /// <summary>GUILD_MESSAGES (1 &lt;&lt; 9) | DIRECT_MESSAGES (1 &lt;&lt; 12) | MESSAGE_CONTENT (1 &lt;&lt; 15), from the docs' list of intents.</summary>
    public const int ChatIntents = (1 << 9) | (1 << 12) | (1 << 15);

    /// <summary>GUILD_MEMBERS, GUILD_PRESENCES and MESSAGE_CONTENT: the privileged intents.</summary>
    public const int PrivilegedIntents = (1 << 1) | (1 << 8) | (1 << 15);

    /// <summary>Every intent the docs list (bits 0-16, 20, 21, 24, 25); any other bit closes with 4013.</summary>
    public const int KnownIntents = 0x1FFFF | (1 << 20) | (1 << 21) | (1 << 24) | (1 << 25);

    /// <summary>Discord closes with 4002 any payload an app sends that is larger.</summary>
    public const int MaxClientPayloadBytes = 4096;

    private readonly Lock _lock = new();
    private readonly List<string> _violations = [];
    private readonly List<PeerGatewayConnection> _connections = [];
    private readonly List<(long Seq, string Type, JsonObject Data)> _events = [];
    private LiveConnection? _live;
    private string? _sessionId;
    private long _sequence;
    private long? _lastHeartbeat;
    private int _sessionsStarted;
    private int _refused;
    private LoopbackPeer _loopback = null!;

    private DiscordGatewayPeer()
    {
    }

    public Uri Root => _loopback.Root;

    /// <summary>What <c>GET /gateway/bot</c> should answer: the URL to identify on, without a query as Discord gives it.</summary>
    public Uri GatewayUrl => new($"ws://{Root.Authority}/gateway");

    /// <summary>READY's <c>resume_gateway_url</c>.</summary>
    public Uri ResumeUrl => new($"ws://{Root.Authority}/resume");

    /// <summary>The Hello's <c>heartbeat_interval</c>. <value>Default: 41250 ms, as Discord sends.</value></summary>
    public int HeartbeatIntervalMilliseconds { get; set; } = 41_250;

    /// <summary>The intents Identify must carry; anything else is recorded as a violation.</summary>
    public int ExpectedIntents { get; set; } = ChatIntents;

    /// <summary>Whether the application's privileged intents are switched on in the "developer portal"; when not, asking for one closes with 4014.</summary>
    public bool PrivilegedIntentsEnabled { get; set; } = true;

    /// <summary>Whether heartbeats are acknowledged (op 11); off, the connection looks like a zombie to the client.</summary>
    public bool AcknowledgeHeartbeats { get; set; } = true;

    /// <summary>When set, every message to the client is split into WebSocket frames of at most this many bytes.</summary>
    public int? FrameBytes { get; set; }

    /// <summary>When false, new connections are refused with 503, as during an outage; the session is kept.</summary>
    public bool AcceptConnections { get; set; } = true;

    /// <summary>How many connections were refused while <see cref="AcceptConnections"/> was false.</summary>
    public int RefusedConnections => Volatile.Read(ref _refused);

    /// <summary>
    /// When set, a Resume replays every event after this sequence instead of after the one the client sent: Discord
    /// delivering again what the client already had.
    /// </summary>
    public long? ReplayAfter { get; set; }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Every connection the client opened, in order.</summary>
    public IReadOnlyList<PeerGatewayConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>The current session's id, or null before the first Identify or after it was invalidated.</summary>
    public string? SessionId
    {
        get
        {
            lock (_lock)
            {
                return _sessionId;
            }
        }
    }

    /// <summary>How many times the client identified (each a new session).</summary>
    public int SessionsStarted
    {
        get
        {
            lock (_lock)
            {
                return _sessionsStarted;
            }
        }
    }

    /// <summary>The last sequence number given out in the current session.</summary>
    public long Sequence
    {
        get
        {
            lock (_lock)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Whether a connection is open and identified or resumed, so a dispatch goes out at once.</summary>
    public bool InSession
    {
        get
        {
            lock (_lock)
            {
                return _live is { InSession: true };
            }
        }
    }

    public static async Task<DiscordGatewayPeer> StartAsync(CancellationToken cancellationToken)
    {
        var peer = new DiscordGatewayPeer();
        peer._loopback = await LoopbackPeer.StartAsync(
            app =>
            {
                app.UseWebSockets();
                app.Map("/gateway", context => peer.HandleConnectionAsync(context, resumeEndpoint: false));
                app.Map("/resume", context => peer.HandleConnectionAsync(context, resumeEndpoint: true));
            },
            cancellationToken);
        return peer;
    }

    /// <summary>
    /// Sends a dispatch (op 0) with the next sequence number. It is kept in the session, so a client that is not
    /// connected now (dropped, reconnecting) receives it when it resumes, as Discord replays missed events.
    /// </summary>
    public async Task<long> DispatchAsync(string type, JsonObject data)
    {
        LiveConnection? live;
        JsonObject payload;
        lock (_lock)
        {
            var seq = ++_sequence;
            _events.Add((seq, type, data));
            payload = Dispatch(seq, type, data);
            live = _live is { InSession: true } ? _live : null;
        }

        if (live is not null)
        {
            await TrySendAsync(live, payload);
        }

        return payload["s"]!.GetValue<long>();
    }

    /// <summary>Drops the TCP connection without a close frame, as a network failure does.</summary>
    public void Drop()
    {
        LiveConnection? live;
        lock (_lock)
        {
            live = _live;
            _live = null;
        }

        live?.Context.Abort();
    }

    /// <summary>Sends Reconnect (op 7): the client should reconnect and resume.</summary>
    public Task SendReconnectAsync() => SendToLiveAsync(new JsonObject { ["op"] = 7, ["d"] = null });

    /// <summary>Sends a heartbeat request (op 1): the client must heartbeat at once.</summary>
    public Task RequestHeartbeatAsync() => SendToLiveAsync(new JsonObject { ["op"] = 1, ["d"] = null });

    /// <summary>Sends Invalid Session (op 9); when not resumable the session is gone and a Resume of it fails.</summary>
    public Task SendInvalidSessionAsync(bool resumable)
    {
        if (!resumable)
        {
            EndSession();
        }

        return SendToLiveAsync(new JsonObject { ["op"] = 9, ["d"] = resumable });
    }

    /// <summary>Closes the current connection with a Gateway close code (4000-4014) or a WebSocket one.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        LiveConnection? live;
        lock (_lock)
        {
            live = _live;
        }

        if (live is not null)
        {
            await CloseAsync(live, code, reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Drop();
        await _loopback.DisposeAsync();
    }

    private async Task HandleConnectionAsync(HttpContext context, bool resumeEndpoint)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!AcceptConnections)
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var query = context.Request.Query;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        LiveConnection live;
        lock (_lock)
        {
            var record = new PeerGatewayConnection(_connections.Count + 1, resumeEndpoint ? ResumeUrl : GatewayUrl, context.Request.QueryString.Value ?? "");
            _connections.Add(record);
            if (query["v"] != "10" || query["encoding"] != "json")
            {
                _violations.Add($"connection {record.Number} opened with query '{record.Query}', not v=10&encoding=json");
            }

            live = new LiveConnection(socket, context, record, resumeEndpoint);
            _live = live;
        }

        try
        {
            await SendAsync(live, new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatIntervalMilliseconds } });
            await ReceiveAsync(live);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Dropped by the test or by the client.
        }
        finally
        {
            lock (_lock)
            {
                live.Record.End(socket.CloseStatus is { } status ? (int)status : null);
                if (_live == live)
                {
                    _live = null;
                }
            }
        }
    }

    private async Task ReceiveAsync(LiveConnection live)
    {
        var buffer = new byte[8 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await live.Socket.ReceiveAsync(buffer, live.Context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (live.Socket.State == WebSocketState.CloseReceived)
                    {
                        await live.Socket.CloseOutputAsync(live.Socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (message.Length > MaxClientPayloadBytes)
            {
                Violation($"the client sent a payload of {message.Length} bytes; Discord accepts {MaxClientPayloadBytes}");
                await CloseAsync(live, 4002, "Decode error");
                return;
            }

            JsonObject? payload;
            try
            {
                payload = JsonNode.Parse(message.ToArray()) as JsonObject;
            }
            catch (JsonException)
            {
                payload = null;
            }

            if (payload?["op"] is not JsonValue opValue || !opValue.TryGetValue<int>(out var op))
            {
                Violation($"the client sent a payload without an op: {Encoding.UTF8.GetString(message.ToArray())}");
                await CloseAsync(live, 4002, "Decode error");
                return;
            }

            live.Record.Record(op, payload["d"]?.DeepClone());
            if (!await HandleAsync(live, op, payload["d"]))
            {
                return;
            }
        }
    }

    /// <summary>Plays Discord's part for one payload; false once the connection was closed.</summary>
    private async Task<bool> HandleAsync(LiveConnection live, int op, JsonNode? data)
    {
        switch (op)
        {
            case 1:
                CheckHeartbeat(data);
                if (AcknowledgeHeartbeats)
                {
                    await SendAsync(live, new JsonObject { ["op"] = 11 });
                }

                return true;
            case 2:
                return await IdentifyAsync(live, data as JsonObject);
            case 6:
                return await ResumeAsync(live, data as JsonObject);
            default:
                Violation($"the client sent op {op}, which this bot has no reason to send");
                await CloseAsync(live, 4001, "Unknown opcode");
                return false;
        }
    }

    private void CheckHeartbeat(JsonNode? data)
    {
        lock (_lock)
        {
            long? sent = data is JsonValue value && value.TryGetValue<long>(out var s) ? s : null;
            if (data is not null && sent is null)
            {
                _violations.Add($"a heartbeat carried {data.ToJsonString()}, not the last sequence number or null");
                return;
            }

            if (sent > _sequence)
            {
                _violations.Add($"a heartbeat carried sequence {sent}, beyond the last one sent ({_sequence})");
            }

            if (sent < _lastHeartbeat)
            {
                _violations.Add($"a heartbeat carried sequence {sent}, before the previous heartbeat's {_lastHeartbeat}");
            }

            _lastHeartbeat = sent ?? _lastHeartbeat;
        }
    }

    private async Task<bool> IdentifyAsync(LiveConnection live, JsonObject? identify)
    {
        if (live.InSession)
        {
            Violation($"connection {live.Record.Number} identified twice");
            await CloseAsync(live, 4005, "Already authenticated");
            return false;
        }

        if (live.ResumeEndpoint)
        {
            Violation("the client identified on the resume URL; a new session starts on the URL from GET /gateway/bot");
        }

        var token = identify?["token"]?.GetValue<string>();
        var intents = identify?["intents"] is JsonValue i && i.TryGetValue<int>(out var bits) ? bits : (int?)null;
        var properties = identify?["properties"] as JsonObject;
        foreach (var name in new[] { "os", "browser", "device" })
        {
            if (properties?[name] is not JsonValue p || !p.TryGetValue<string>(out var v) || v.Length == 0)
            {
                Violation($"Identify's properties.{name} is missing or not a string");
            }
        }

        if (token != BotToken)
        {
            await CloseAsync(live, 4004, "Authentication failed.");
            return false;
        }

        if (intents is null || (intents & ~KnownIntents) != 0)
        {
            Violation($"Identify's intents are {identify?["intents"]?.ToJsonString() ?? "missing"}, not a valid intents bitfield");
            await CloseAsync(live, 4013, "Invalid intent(s).");
            return false;
        }

        if (intents != ExpectedIntents)
        {
            Violation($"Identify asked for intents {intents}, not {ExpectedIntents}");
        }

        if (!PrivilegedIntentsEnabled && (intents & PrivilegedIntents) != 0)
        {
            await CloseAsync(live, 4014, "Disallowed intent(s).");
            return false;
        }

        JsonObject ready;
        lock (_lock)
        {
            _sessionId = Guid.NewGuid().ToString("N");
            _sessionsStarted++;
            _events.Clear();
            _sequence = 0;
            _lastHeartbeat = null;
            var seq = ++_sequence;
            var data = new JsonObject
            {
                ["v"] = 10,
                ["user"] = new JsonObject { ["id"] = BotUserId, ["username"] = "ChatOps", ["discriminator"] = "0", ["global_name"] = null, ["bot"] = true },
                ["guilds"] = new JsonArray(),
                ["session_id"] = _sessionId,
                ["resume_gateway_url"] = ResumeUrl.ToString().TrimEnd('/'),
                ["application"] = new JsonObject { ["id"] = ApplicationId, ["flags"] = 0 },
            };
            _events.Add((seq, "READY", data));
            ready = Dispatch(seq, "READY", data);
            live.InSession = true;
        }

        await SendAsync(live, ready);
        return true;
    }

    private async Task<bool> ResumeAsync(LiveConnection live, JsonObject? resume)
    {
        if (!live.ResumeEndpoint)
        {
            Violation("the client resumed on the first URL; Discord asks for READY's resume_gateway_url");
        }

        var token = resume?["token"]?.GetValue<string>();
        var sessionId = resume?["session_id"]?.GetValue<string>();
        long? seq = resume?["seq"] is JsonValue s && s.TryGetValue<long>(out var n) ? n : null;
        if (token != BotToken)
        {
            await CloseAsync(live, 4004, "Authentication failed.");
            return false;
        }

        List<JsonObject> replay = [];
        bool known, validSequence = false;
        lock (_lock)
        {
            live.Record.ResumedSession(sessionId, seq);
            known = _sessionId is not null && sessionId == _sessionId;
            if (known)
            {
                validSequence = seq is not null && seq <= _sequence;
                if (!validSequence)
                {
                    _violations.Add($"Resume carried sequence {seq?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}; the session is at {_sequence}");
                }
                else
                {
                    var after = ReplayAfter ?? seq!.Value;
                    replay = [.. _events.Where(e => e.Seq > after).Select(e => Dispatch(e.Seq, e.Type, e.Data))];
                    replay.Add(Dispatch(++_sequence, "RESUMED", new JsonObject()));
                    live.InSession = true;
                }
            }
        }

        if (!known)
        {
            // Discord's answer to a resume of a session it no longer has.
            await SendAsync(live, new JsonObject { ["op"] = 9, ["d"] = false });
            return true;
        }

        if (!validSequence)
        {
            await CloseAsync(live, 4007, "Invalid seq.");
            return false;
        }

        foreach (var payload in replay)
        {
            await SendAsync(live, payload);
        }

        return true;
    }

    private void EndSession()
    {
        lock (_lock)
        {
            _sessionId = null;
            _events.Clear();
        }
    }

    private async Task SendToLiveAsync(JsonObject payload)
    {
        LiveConnection? live;
        lock (_lock)
        {
            live = _live;
        }

        if (live is null)
        {
            throw new InvalidOperationException("No Gateway connection is open.");
        }

        await SendAsync(live, payload);
    }

    private static JsonObject Dispatch(long seq, string type, JsonObject data) =>
        new() { ["op"] = 0, ["d"] = data.DeepClone(), ["s"] = seq, ["t"] = type };

    private async Task TrySendAsync(LiveConnection live, JsonObject payload)
    {
        try
        {
            await SendAsync(live, payload);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The connection went away meanwhile; the event is kept for the client's Resume.
        }
    }

    private async Task SendAsync(LiveConnection live, JsonObject payload)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload);
        var frame = FrameBytes is { } size and > 0 ? size : bytes.Length;
        await live.Sending.WaitAsync();
        try
        {
            for (var offset = 0; offset < bytes.Length; offset += frame)
            {
                var count = Math.Min(frame, bytes.Length - offset);
                await live.Socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, CancellationToken.None);
            }
        }
        finally
        {
            live.Sending.Release();
        }
    }

    private static async Task CloseAsync(LiveConnection live, int code, string reason)
    {
        await live.Sending.WaitAsync();
        try
        {
            if (live.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await live.Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
        {
            // Already gone.
        }
        finally
        {
            live.Sending.Release();
        }
    }

    private void Violation(string violation)
    {
        lock (_lock)
        {
            _violations.Add(violation);
        }
    }

    private sealed class LiveConnection(WebSocket socket, HttpContext context, PeerGatewayConnection record, bool resumeEndpoint)
    {
        public WebSocket Socket { get; } = socket;

        public HttpContext Context { get; } = context;

        public PeerGatewayConnection Record { get; } = record;

        public bool ResumeEndpoint { get; } = resumeEndpoint;

        public SemaphoreSlim Sending { get; } = new(1, 1);

        public bool InSession { get; set; }
    }
}
