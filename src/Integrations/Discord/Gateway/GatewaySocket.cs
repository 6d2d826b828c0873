using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>
/// One Gateway WebSocket: whole JSON messages in (however many frames each spans, bounded in size) and out (one
/// sender at a time, since a WebSocket takes one send at once and the heartbeat sends beside the receive loop).
/// </summary>
internal sealed class GatewaySocket(ClientWebSocket socket, int maxMessageBytes) : IDisposable
{
    /// <summary>Discord closes with 4002 anything an app sends that is larger.</summary>
    public const int MaxSendBytes = 4096;

    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly byte[] _buffer = new byte[16 * 1024];

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public string? CloseStatusDescription => socket.CloseStatusDescription;

    /// <summary>The next message, or null once the other side closed.</summary>
    public async Task<JsonDocument?> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(_buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await AnswerCloseAsync();
                return null;
            }

            if (message.Length + result.Count > maxMessageBytes)
            {
                throw new GatewayProtocolException($"a Gateway message exceeded {maxMessageBytes} bytes");
            }

            message.Write(_buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            if (result.MessageType != WebSocketMessageType.Text)
            {
                throw new GatewayProtocolException("a binary Gateway message arrived on a JSON connection without compression");
            }

            try
            {
                return JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length));
            }
            catch (JsonException e)
            {
                throw new GatewayProtocolException($"a Gateway message is not JSON: {e.Message}");
            }
        }
    }

    public async Task SendAsync(GatewayOpcode op, JsonNode? data, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["op"] = (int)op, ["d"] = data });
        if (payload.Length > MaxSendBytes)
        {
            throw new GatewayProtocolException($"a {op} payload of {payload.Length} bytes is larger than Discord accepts ({MaxSendBytes})");
        }

        await _sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>
    /// Sends a close frame with <paramref name="code"/>, without reading: the receive loop sees Discord's answer. 1000
    /// ends the session (the bot shows offline at once); any other code keeps it for a Resume.
    /// </summary>
    public async Task CloseOutputAsync(int code, string reason, TimeSpan timeout, TimeProvider timeProvider)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var bound = new CancellationTokenSource(timeout, timeProvider);
        try
        {
            await _sending.WaitAsync(bound.Token);
            try
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, bound.Token);
            }
            finally
            {
                _sending.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    /// <summary>
    /// Closes with <paramref name="code"/> and reads, for a bounded time, to Discord's own close. Only from the thread
    /// that receives, since a WebSocket takes one receive at a time.
    /// </summary>
    public async Task CloseAsync(int code, string reason, TimeSpan timeout, TimeProvider timeProvider)
    {
        await CloseOutputAsync(code, reason, timeout, timeProvider);
        using var bound = new CancellationTokenSource(timeout, timeProvider);
        try
        {
            while (socket.State == WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(_buffer, bound.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Gone or too slow: the connection is being replaced or shut anyway.
            socket.Abort();
        }
    }

    /// <summary>
    /// Closes with 1000 for shutdown, beside a receive still waiting (which then reads Discord's close), and drops the
    /// connection if Discord has not closed its side within <paramref name="timeout"/>.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan timeout, TimeProvider timeProvider)
    {
        try
        {
            await CloseOutputAsync(1000, "shutting down", timeout, timeProvider);
            await Task.Delay(timeout, timeProvider);
            if (socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }
        }
        catch (ObjectDisposedException)
        {
            // The connection ended and was disposed meanwhile.
        }
    }

    /// <summary>Completes the closing handshake Discord started, with its own code.</summary>
    private async Task AnswerCloseAsync()
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        await _sending.WaitAsync();
        try
        {
            await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "closing", CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            // Gone already; the close was received, which is what counts.
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Drops the connection without a close frame: the session stays resumable.</summary>
    public void Abort() => socket.Abort();

    public void Dispose()
    {
        socket.Dispose();
        _sending.Dispose();
    }
}

/// <summary>The Gateway sent something this client cannot read; the connection is replaced.</summary>
internal sealed class GatewayProtocolException(string message) : Exception(message);
