using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>How one connection ended, and what the next one does.</summary>
/// <param name="Next">Resume the session, identify afresh, or stop for good.</param>
/// <param name="Reason">Why it ended, for the log and the health check.</param>
/// <param name="ReachedSession">Whether READY or RESUMED arrived: a connection that never got there is a failure.</param>
/// <param name="Delay">A wait the protocol asks for (Invalid Session), instead of the backoff.</param>
/// <param name="CloseCode">Discord's close code, when it closed with one.</param>
/// <param name="Connected">Whether the WebSocket opened at all.</param>
internal sealed record ConnectionEnd(CloseAction Next, string Reason, bool ReachedSession, TimeSpan? Delay = null, int? CloseCode = null, bool Connected = true);

/// <summary>
/// Plays one Gateway connection to its end: waits for Hello, heartbeats at its interval (the first after a random
/// part of it) with the last sequence number, identifies or resumes, keeps READY's session, hands dispatches to the
/// <see cref="GatewayDispatcher"/>, and answers Discord's heartbeat requests, Reconnect and Invalid Session. A
/// heartbeat not acknowledged before the next is due means the connection is a zombie: it is dropped without a close
/// frame, which keeps the session for a Resume. Shutting down closes with 1000, which ends the session, because the
/// session lives in this process only and nobody will resume it.
/// </summary>
internal sealed class GatewayConnection(
    GatewaySession session,
    DiscordGatewayState state,
    GatewayDispatcher dispatcher,
    DiscordGatewayTiming timing,
    string botToken,
    TimeProvider timeProvider,
    ILogger logger)
{
    private volatile bool _acknowledged = true;
    private volatile bool _zombie;
    private bool _reachedSession;
    private Task _heartbeat = Task.CompletedTask;

    /// <summary>Connects to <paramref name="url"/> and resumes the session (when <paramref name="resume"/>) or identifies.</summary>
    public async Task<ConnectionEnd> RunAsync(Uri url, bool resume, CancellationToken stoppingToken)
    {
        using var client = new ClientWebSocket();
        try
        {
            // A connect that hangs must end in another attempt, not block the loop until shutdown.
            using var timeout = new CancellationTokenSource(timing.ConnectTimeout, timeProvider);
            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            await client.ConnectAsync(GatewayUrl.WithQuery(url), connecting.Token);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            // The session, if any, is still Discord's: the next attempt resumes it (the client gives up on it after a few).
            return new(CloseAction.Resume, $"could not connect to {url.Host}: {e.Message}", ReachedSession: false, Connected: false);
        }

        using var socket = new GatewaySocket(client, timing.MaxMessageBytes);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        // Closing for shutdown while the loop still receives: the loop then reads Discord's close and ends.
        using var onStop = stoppingToken.Register(() => _ = socket.ShutdownAsync(timing.CloseTimeout, timeProvider));
        // Discord says Hello at once; a connection that does not is dropped and tried again.
        using var helloDeadline = timeProvider.CreateTimer(_ => socket.Abort(), null, timing.ConnectTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            while (true)
            {
                using var message = await socket.ReceiveAsync(CancellationToken.None);
                if (message is null)
                {
                    return Closed(socket, stoppingToken);
                }

                var end = await HandleAsync(socket, message.RootElement, resume, helloDeadline, ended.Token);
                if (end is not null)
                {
                    return end;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or GatewayProtocolException)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                return new(CloseAction.Stop, "shutting down", _reachedSession);
            }

            if (_zombie)
            {
                return new(CloseAction.Resume, "no heartbeat acknowledgement before the next heartbeat (a zombie connection)", _reachedSession);
            }

            if (e is GatewayProtocolException)
            {
                socket.Abort();
            }

            return new(CloseAction.Resume, $"connection lost: {e.Message}", _reachedSession);
        }
        finally
        {
            await ended.CancelAsync();
            await _heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Handles one payload; returns how the connection ends, or null to go on receiving.</summary>
    private async Task<ConnectionEnd?> HandleAsync(GatewaySocket socket, JsonElement payload, bool resume, ITimer helloDeadline, CancellationToken ended)
    {
        if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("op", out var opElement) || !opElement.TryGetInt32(out var op))
        {
            Log.PayloadUnreadable(logger, "no numeric op");
            return null;
        }

        var data = payload.TryGetProperty("d", out var d) ? d : default;
        switch ((GatewayOpcode)op)
        {
            case GatewayOpcode.Hello when _heartbeat.IsCompleted:
                helloDeadline.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                var interval = HeartbeatInterval(data);
                Log.Hello(logger, interval);
                _heartbeat = HeartbeatAsync(socket, interval, ended);
                await (resume ? ResumeAsync(socket, ended) : IdentifyAsync(socket, ended));
                return null;
            case GatewayOpcode.Dispatch:
                return await DispatchAsync(payload, data, ended);
            case GatewayOpcode.Heartbeat:
                // Discord asks for a heartbeat now, outside the interval.
                await SendHeartbeatAsync(socket, ended);
                return null;
            case GatewayOpcode.HeartbeatAck:
                _acknowledged = true;
                return null;
            case GatewayOpcode.Reconnect:
                Log.ReconnectRequested(logger);
                await socket.CloseAsync(GatewayCloseCodes.Reconnecting, "reconnecting", timing.CloseTimeout, timeProvider);
                return new(CloseAction.Resume, "Discord asked to reconnect (op 7)", _reachedSession, TimeSpan.Zero);
            case GatewayOpcode.InvalidSession:
                var resumable = data.ValueKind == JsonValueKind.True;
                var wait = timing.InvalidSessionMinDelay + (timing.InvalidSessionMaxDelay - timing.InvalidSessionMinDelay) * timing.Random();
                Log.InvalidSession(logger, resumable, wait);
                await socket.CloseAsync(GatewayCloseCodes.Reconnecting, "invalid session", timing.CloseTimeout, timeProvider);
                return new(resumable ? CloseAction.Resume : CloseAction.Identify, $"Discord invalidated the session (op 9, resumable: {resumable})", _reachedSession, wait);
            default:
                Log.PayloadIgnored(logger, op);
                return null;
        }
    }

    private async Task<ConnectionEnd?> DispatchAsync(JsonElement payload, JsonElement data, CancellationToken ended)
    {
        if (payload.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var sequence))
        {
            session.Saw(sequence);
        }

        var type = payload.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";
        switch (type)
        {
            case "READY":
                var sessionId = StringOf(data, "session_id");
                var resumeUrl = StringOf(data, "resume_gateway_url");
                if (sessionId is null || resumeUrl is null || !Uri.TryCreate(resumeUrl, UriKind.Absolute, out var resumeUri))
                {
                    throw new GatewayProtocolException("READY carried no session_id or resume_gateway_url");
                }

                session.Start(sessionId, resumeUri, data.TryGetProperty("user", out var user) ? StringOf(user, "id") : null);
                Reached();
                Log.Ready(logger, sessionId, session.BotUserId);
                return null;
            case "RESUMED":
                Reached();
                Log.Resumed(logger, session.SessionId, session.Sequence);
                return null;
            default:
                await dispatcher.PostAsync(type, data, ended);
                return null;
        }
    }

    private void Reached()
    {
        _reachedSession = true;
        state.MarkConnected(timeProvider.GetUtcNow());
    }

    private ConnectionEnd Closed(GatewaySocket socket, CancellationToken stoppingToken)
    {
        var code = socket.CloseStatus is { } status ? (int?)status : null;
        var description = socket.CloseStatusDescription;
        Log.Closed(logger, code, description);
        if (stoppingToken.IsCancellationRequested)
        {
            return new(CloseAction.Stop, "shutting down", _reachedSession, CloseCode: code);
        }

        var reason = code is null ? "closed without a code" : $"closed with {code}{(string.IsNullOrEmpty(description) ? "" : $" ({description})")}";
        return new(GatewayCloseCodes.ActionFor(code), reason, _reachedSession, CloseCode: code);
    }

    /// <summary>
    /// Heartbeats until the connection ends: the first after <c>interval * jitter</c>, then every interval. A heartbeat
    /// due while the previous one is still unacknowledged drops the connection instead.
    /// </summary>
    private async Task HeartbeatAsync(GatewaySocket socket, TimeSpan interval, CancellationToken ended)
    {
        try
        {
            await Task.Delay(interval * timing.Random(), timeProvider, ended);
            while (true)
            {
                if (!_acknowledged)
                {
                    Log.Zombie(logger, interval);
                    _zombie = true;
                    socket.Abort();
                    return;
                }

                _acknowledged = false;
                await SendHeartbeatAsync(socket, ended);
                await Task.Delay(interval, timeProvider, ended);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection ended; the receive loop reports why.
        }
    }

    private Task SendHeartbeatAsync(GatewaySocket socket, CancellationToken cancellationToken)
    {
        var sequence = session.Sequence;
        Log.Heartbeat(logger, sequence);
        return socket.SendAsync(GatewayOpcode.Heartbeat, sequence is { } s ? JsonValue.Create(s) : null, cancellationToken);
    }

    private Task IdentifyAsync(GatewaySocket socket, CancellationToken cancellationToken)
    {
        Log.Identifying(logger, DiscordIntents.Required);
        var identify = new JsonObject
        {
            ["token"] = botToken,
            ["properties"] = new JsonObject
            {
                ["os"] = OperatingSystemName(),
                ["browser"] = "chatops",
                ["device"] = "chatops",
            },
            ["intents"] = DiscordIntents.Required,
        };
        return socket.SendAsync(GatewayOpcode.Identify, identify, cancellationToken);
    }

    private Task ResumeAsync(GatewaySocket socket, CancellationToken cancellationToken)
    {
        var sessionId = session.SessionId ?? throw new InvalidOperationException("Resuming needs a session.");
        var sequence = session.Sequence;
        Log.Resuming(logger, sessionId, sequence);
        var resume = new JsonObject
        {
            ["token"] = botToken,
            ["session_id"] = sessionId,
            ["seq"] = sequence is { } s ? JsonValue.Create(s) : null,
        };
        return socket.SendAsync(GatewayOpcode.Resume, resume, cancellationToken);
    }

    private static TimeSpan HeartbeatInterval(JsonElement hello)
    {
        if (hello.ValueKind == JsonValueKind.Object && hello.TryGetProperty("heartbeat_interval", out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var milliseconds) && milliseconds > 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        throw new GatewayProtocolException("Hello carried no positive heartbeat_interval");
    }

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos"
        : RuntimeInformation.OSDescription.ToLower(CultureInfo.InvariantCulture);

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
