using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Receives Slack deliveries over Socket Mode for bots without a public URL. Each envelope is
/// translated like an HTTP delivery, written into the <see cref="IChatInbox"/>, and acknowledged by
/// its envelope_id once the inbox has kept it, so a crash in between leaves Slack to redeliver it
/// rather than losing it; keeping slower than <see cref="SlackOptions.SocketAckDeadline"/> is
/// acknowledged anyway, because Slack redelivers what is not acknowledged within 3 seconds. An
/// acknowledged delivery cannot be refused, so when the inbox is full its sender is told to ask again.
/// On close, error or a <c>disconnect</c> message it opens a new connection after an exponential backoff.
/// </summary>
internal sealed class SlackSocketModeClient(
    ISlackWebApi api,
    IChatInbox inbox,
    SlackDisplayNames names,
    SlackSocketModeState state,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlackSocketModeClient> logger) : BackgroundService
{
    private const int MaxMessageBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private readonly RecentIds _seen = new(4096);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _inflight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            string reason;
            var failed = false;
            var greeted = false;
            try
            {
                Log.SocketConnecting(logger);
                reason = await RunConnectionAsync(() => (failures, greeted) = (0, true), stoppingToken);
                // A connection that closes before Slack's hello is a failure, not a planned reconnect.
                failed = !greeted;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The edge of the loop: whatever broke this connection, log it and open another.
                Log.SocketFailed(logger, e);
                reason = e.Message;
                failed = true;
            }

            state.MarkDisconnected(timeProvider.GetUtcNow(), reason, failed);
            var delay = Backoff(failures++);
            Log.SocketReconnectScheduled(logger, reason, delay, failures);
            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Let handlers that already started finish (they see the stopping token) before we report stopped.
        await Task.WhenAll(_inflight.Keys);
    }

    internal TimeSpan Backoff(int failures)
    {
        var initial = options.Value.SocketReconnectDelay;
        var max = options.Value.SocketMaxReconnectDelay;
        var factor = Math.Pow(2, Math.Min(failures, 30));
        var delay = initial * factor;
        return delay > max ? max : delay;
    }

    /// <summary>Runs one connection until it ends; returns why it ended.</summary>
    private async Task<string> RunConnectionAsync(Action onHello, CancellationToken cancellationToken)
    {
        var url = await api.OpenConnectionAsync(cancellationToken);
        using var socket = new ClientWebSocket();
        // A connect that hangs must end in a reconnect, not block the loop until shutdown.
        using (var connectTimeout = new CancellationTokenSource(ConnectTimeout, timeProvider))
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token))
        {
            await socket.ConnectAsync(url, connecting.Token);
        }

        while (true)
        {
            var text = await ReceiveTextAsync(socket, cancellationToken);
            if (text is null)
            {
                Log.SocketClosed(logger, socket.CloseStatus?.ToString() ?? "none", socket.CloseStatusDescription);
                return $"closed ({socket.CloseStatus?.ToString() ?? "no status"})";
            }

            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var type = StringOf(root, "type") ?? "";
            switch (type)
            {
                case "hello":
                    state.MarkConnected(timeProvider.GetUtcNow());
                    onHello();
                    Log.SocketConnected(logger);
                    continue;
                case "disconnect":
                    var reason = StringOf(root, "reason");
                    Log.SocketDisconnectRequested(logger, reason);
                    await CloseQuietlyAsync(socket);
                    return $"disconnect requested ({reason})";
            }

            var isRetry = root.TryGetProperty("retry_attempt", out var attempt) && attempt.ValueKind == JsonValueKind.Number && attempt.TryGetInt32(out var n) && n > 0;
            var payload = root.TryGetProperty("payload", out var p) ? p : default;
            var kept = Dispatch(SlackInboundParser.ParseSocketPayload(type, payload, isRetry), type, cancellationToken);
            if (StringOf(root, "envelope_id") is { Length: > 0 } id)
            {
                await WaitUntilKeptAsync(kept, id, cancellationToken);
                await AcknowledgeAsync(socket, id, cancellationToken);
            }
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Writes the delivery into the inbox; returns that work, which ends once the delivery is kept.</summary>
    private Task Dispatch(SlackInbound inbound, string envelopeType, CancellationToken cancellationToken)
    {
        switch (inbound.Kind)
        {
            case SlackInboundKind.Request when inbound.Request is { } request:
                if (_seen.Add(request.DeliveryId))
                {
                    return Hand(() => KeepAsync(request, cancellationToken), request.DeliveryId);
                }

                Log.SocketDuplicateDelivery(logger, request.DeliveryId);
                return Task.CompletedTask;
            case SlackInboundKind.Action when inbound.Action is { } action:
                if (_seen.Add(action.DeliveryId))
                {
                    return Hand(() => KeepAsync(action, cancellationToken), action.DeliveryId);
                }

                Log.SocketDuplicateDelivery(logger, action.DeliveryId);
                return Task.CompletedTask;
            default:
                Log.SocketEnvelopeIgnored(logger, envelopeType, inbound.Reason);
                return Task.CompletedTask;
        }
    }

    private async Task KeepAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        // Mentions and DMs carry no name; the lookup is bounded, so the acknowledgement still beats Slack's deadline.
        request = await names.WithDisplayNameAsync(request, cancellationToken);
        if (await inbox.ReceiveAsync(request, cancellationToken) == InboxAdmission.Full)
        {
            Log.SocketInboxFull(logger, request.DeliveryId);
            await inbox.TellBusyAsync(request, cancellationToken);
        }
    }

    private async Task KeepAsync(ChatAction action, CancellationToken cancellationToken)
    {
        if (await inbox.ReceiveAsync(action, cancellationToken) == InboxAdmission.Full)
        {
            Log.SocketInboxFull(logger, action.DeliveryId);
            await inbox.TellBusyAsync(action, cancellationToken);
        }
    }

    /// <summary>Waits for the inbox to keep the delivery, but never past the acknowledgement deadline.</summary>
    private async Task WaitUntilKeptAsync(Task kept, string envelopeId, CancellationToken cancellationToken)
    {
        try
        {
            await kept.WaitAsync(options.Value.SocketAckDeadline, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.SocketAckBeforeKept(logger, envelopeId, options.Value.SocketAckDeadline);
        }
    }

    /// <summary>
    /// Keeps the delivery off the receive loop, so a slow write delays its own acknowledgement at most,
    /// never the next envelope's. The returned task never fails: failures are logged here.
    /// </summary>
    private Task Hand(Func<Task> handle, string deliveryId)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await handle();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SocketHandlerFailed(logger, deliveryId, e);
            }
            catch (OperationCanceledException)
            {
                // Shutting down.
            }
        });
        _inflight.TryAdd(task, 0);
        _ = task.ContinueWith(t => _inflight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private static async Task AcknowledgeAsync(ClientWebSocket socket, string envelopeId, CancellationToken cancellationToken)
    {
        var ack = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["envelope_id"] = envelopeId });
        await socket.SendAsync(ack, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    private static async Task<string?> ReceiveTextAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseQuietlyAsync(socket);
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (message.Length > MaxMessageBytes)
            {
                throw new WebSocketException(WebSocketError.HeaderError, "A Socket Mode message exceeded the size limit.");
            }

            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // The other side is already gone; the connection is being replaced anyway.
            }
        }
    }

    /// <summary>A bounded memory of delivery ids, so a redelivered envelope runs nothing twice.</summary>
    private sealed class RecentIds(int capacity)
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public bool Add(string id)
        {
            lock (_lock)
            {
                if (!_ids.Add(id))
                {
                    return false;
                }

                _order.Enqueue(id);
                if (_order.Count > capacity)
                {
                    _ids.Remove(_order.Dequeue());
                }

                return true;
            }
        }
    }
}
