using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Slack;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Slack;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ChatOps.Integrations.Tests.Slack;

/// <summary>Socket Mode against the loopback peer's WebSocket, on the real clock with tiny backoffs.</summary>
public sealed class SlackSocketModeClientTests : IAsyncLifetime
{
    private readonly RecordingInbox _inbox = new();
    private readonly ConcurrentQueue<string> _acks = new();
    private SlackPeer _peer = null!;

    public async ValueTask InitializeAsync() => _peer = await SlackPeer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task Run_EnvelopesAndDisconnect_AcknowledgesReconnectsAndDeliversOnce()
    {
        var handlerGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inbox.BlockSlashCommandsUntil = handlerGate.Task;
        _peer.SocketSession = async (socket, number, ct) =>
        {
            await Hello(socket, ct);
            if (number == 1)
            {
                await Envelope(socket, "e1", "events_api", Mention("Ev1"), 0, ct);
                await SlackPeer.SendAsync(socket, new JsonObject { ["type"] = "disconnect", ["reason"] = "refresh_requested", ["debug_info"] = new JsonObject { ["host"] = "peer" } }, ct);
                await DrainAsync(socket, ct);
                return;
            }

            // Slack redelivers what it thinks was missed; the same event must not run twice.
            await Envelope(socket, "e2", "events_api", Mention("Ev1"), 1, ct);
            await Envelope(socket, "e3", "slash_commands", SlashCommand(), 0, ct);
            await Envelope(socket, "e4", "interactive", ButtonPress(), 0, ct);
            await DrainAsync(socket, ct);
        };
        await using var services = CreateServices();
        var client = services.GetServices<IHostedService>().OfType<SlackSocketModeClient>().Single();
        var ct = TestContext.Current.CancellationToken;

        await client.StartAsync(ct);
        // Every envelope is acknowledged, the slash command's by the deadline although its inbox is still busy.
        await Wait.UntilAsync(() => _acks.Count == 4, "four acknowledgements");
        Assert.False(handlerGate.Task.IsCompleted);
        handlerGate.SetResult();
        await Wait.UntilAsync(() => _inbox.Requests.Count == 2 && _inbox.Actions.Count == 1, "the deliveries reach the inbox");
        var health = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct);
        await client.StopAsync(ct);

        Assert.Equal(["e1", "e2", "e3", "e4"], _acks);
        Assert.Equal(2, _peer.ConnectionsOpened);
        Assert.Equal(["Ev1", "trigger-7"], _inbox.Requests.Select(r => r.DeliveryId).Order(StringComparer.Ordinal));
        var mention = _inbox.Requests.Single(r => r.DeliveryId == "Ev1");
        Assert.Equal("env up test", mention.Text);
        Assert.Equal("alert ack 42", _inbox.Requests.Single(r => r.DeliveryId == "trigger-7").Text);
        var action = Assert.Single(_inbox.Actions);
        Assert.Equal("alert:ack:42", action.ActionId);
        Assert.Equal(HealthStatus.Healthy, health.Entries[SlackServiceCollectionExtensions.HealthCheckName].Status);
    }

    [Fact]
    public async Task Run_SinkStillKeepingTheDelivery_AcknowledgesOnlyOnceItIsKept()
    {
        var kept = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Whether the inbox had kept the delivery when its acknowledgement reached Slack's side.
        var keptWhenAcknowledged = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _inbox.BlockSlashCommandsUntil = kept.Task;
        _peer.SocketSession = async (socket, number, ct) =>
        {
            await Hello(socket, ct);
            await Envelope(socket, "e1", "slash_commands", SlashCommand(), 0, ct);
            keptWhenAcknowledged.TrySetResult(kept.Task.IsCompleted);
            await DrainAsync(socket, ct);
        };
        // The deadline is on a clock that never moves here: an acknowledgement can come only from the inbox keeping it.
        var time = new ObservedTimeProvider();
        await using var services = CreateServices(ackDeadline: "00:00:02.500", time);
        var client = services.GetServices<IHostedService>().OfType<SlackSocketModeClient>().Single();
        var ct = TestContext.Current.CancellationToken;
        var started = time.GetUtcNow();

        await client.StartAsync(ct);
        await Wait.ForAsync(_inbox.SlashCommandEntered.Task, "the slash command to reach the inbox");
        // A crash now must leave the envelope unacknowledged, so that Slack delivers it again: the client holds
        // the acknowledgement until the inbox returns or the deadline passes, and it is waiting for that now.
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(2.5), "the client to hold the acknowledgement until the deadline");
        var beforeKept = _acks.Count;
        kept.SetResult();
        var wasKept = await Wait.ForAsync(keptWhenAcknowledged.Task, "the acknowledgement");
        await client.StopAsync(ct);

        Assert.Equal(0, beforeKept);
        Assert.True(wasKept, "the acknowledgement reached Slack before the inbox had kept the delivery");
        Assert.Equal(["e1"], _acks);
        Assert.Equal(started, time.GetUtcNow());
    }

    [Fact]
    public async Task Run_InboxFull_AcknowledgesAndTellsEachSenderToAskAgain()
    {
        _inbox.Full = true;
        _peer.SocketSession = async (socket, number, ct) =>
        {
            await Hello(socket, ct);
            await Envelope(socket, "e1", "events_api", Mention("Ev1"), 0, ct);
            await Envelope(socket, "e2", "interactive", ButtonPress(), 0, ct);
            await DrainAsync(socket, ct);
        };
        await using var services = CreateServices();
        var client = services.GetServices<IHostedService>().OfType<SlackSocketModeClient>().Single();

        await client.StartAsync(TestContext.Current.CancellationToken);
        // The acknowledgement and the "busy" answer travel separately: Slack's side may record the last
        // acknowledgement after the sender was told, so the test waits for both.
        await Wait.UntilAsync(() => _inbox.ToldBusy.Count == 2 && _acks.Count == 2, "both envelopes acknowledged and both senders told the inbox is full");
        await client.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["e1", "e2"], _acks);
        Assert.Equal(2, _inbox.ToldBusy.Count);
        Assert.Contains("Ev1", _inbox.ToldBusy);
        Assert.Contains(_inbox.ToldBusy, id => id.Contains("alert:ack:42", StringComparison.Ordinal));
        Assert.Empty(_inbox.Requests);
    }

    [Fact]
    public async Task Run_InboxHasRoom_TellsNobodyItIsBusy()
    {
        _peer.SocketSession = async (socket, number, ct) =>
        {
            await Hello(socket, ct);
            await Envelope(socket, "e1", "events_api", Mention("Ev1"), 0, ct);
            await DrainAsync(socket, ct);
        };
        await using var services = CreateServices();
        var client = services.GetServices<IHostedService>().OfType<SlackSocketModeClient>().Single();

        await client.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => _inbox.Requests.Count == 1, "the mention to be kept");
        await client.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(_inbox.ToldBusy);
    }

    [Fact]
    public async Task Run_ServerClosesConnection_ReconnectsAndReceives()
    {
        _peer.SocketSession = async (socket, number, ct) =>
        {
            if (number == 1)
            {
                await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "going away", ct);
                return;
            }

            await Hello(socket, ct);
            await Envelope(socket, "e9", "events_api", Mention("Ev9"), 0, ct);
            await DrainAsync(socket, ct);
        };
        await using var services = CreateServices();
        var client = services.GetServices<IHostedService>().OfType<SlackSocketModeClient>().Single();

        await client.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => _inbox.Requests.Count == 1, "the event after reconnecting");
        await client.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, _peer.ConnectionsOpened);
        Assert.Equal("Ev9", _inbox.Requests.Single().DeliveryId);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"envelope_id\":42,\"type\":\"events_api\",\"retry_attempt\":1.5,\"payload\":[]}")]
    public async Task Run_GarbageFrame_SurvivesAndKeepsReceiving(string frame)
    {
        _peer.SocketSession = async (socket, number, ct) =>
        {
            await Hello(socket, ct);
            if (number == 1)
            {
                await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, ct);
            }

            await Envelope(socket, $"e{number}", "events_api", Mention($"Ev{number}"), 0, ct);
            await DrainAsync(socket, ct);
        };
        await using var services = CreateServices();
        var client = services.GetServices<IHostedService>().OfType<SlackSocketModeClient>().Single();

        await client.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => _inbox.Requests.Count >= 1, "an event after the garbage");
        await client.StopAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(client.ExecuteTask);
        Assert.False(client.ExecuteTask!.IsFaulted);
        Assert.Equal(_inbox.Requests.Count, _inbox.Requests.Select(r => r.DeliveryId).Distinct().Count());
    }

    [Fact]
    public async Task Run_ConnectionsOpenRefused_HealthUnhealthyAndKeepsTrying()
    {
        _peer.ConnectionsOpenError = "invalid_auth";
        await using var services = CreateServices();
        var client = services.GetServices<IHostedService>().OfType<SlackSocketModeClient>().Single();
        var healthChecks = services.GetRequiredService<HealthCheckService>();
        var ct = TestContext.Current.CancellationToken;

        await client.StartAsync(ct);
        await Wait.UntilAsync(() => OpenAttempts() >= 2, "a retried apps.connections.open");
        var report = await healthChecks.CheckHealthAsync(ct);
        await client.StopAsync(ct);

        var entry = report.Entries[SlackServiceCollectionExtensions.HealthCheckName];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("invalid_auth", entry.Description, StringComparison.Ordinal);
        Assert.Equal(0, _peer.ConnectionsOpened);
    }

    [Fact]
    public async Task Run_ConnectionsOpenAnswers500Forever_KeepsRetryingWithBackoffAndStopsCleanly()
    {
        _peer.ConnectionsOpenStatus = StatusCodes.Status500InternalServerError;
        // Every wait the client makes (transient retries, Slack's rate tier, reconnect backoff) is on this clock.
        var time = new ObservedTimeProvider();
        await using var services = SlackTestServices.Create(_peer.ApiBaseUrl, new Dictionary<string, string?> { ["Slack:SocketMode"] = "true" }, time, configure: s => s.AddSingleton<IChatInbox>(_inbox));
        var client = services.GetServices<IHostedService>().OfType<SlackSocketModeClient>().Single();
        var healthChecks = services.GetRequiredService<HealthCheckService>();
        var ct = TestContext.Current.CancellationToken;

        await client.StartAsync(ct);
        // Once the client is waiting, move the clock past whatever it waits for, until it has tried a good many times.
        for (var waits = 1; waits <= 100 && OpenAttempts() < 12; waits++)
        {
            await Wait.UntilAsync(() => time.TimersCreated >= waits, $"the client's wait number {waits} after {OpenAttempts()} attempts");
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var report = await healthChecks.CheckHealthAsync(ct);
        await Wait.ForAsync(client.StopAsync(ct), "the client to stop");

        Assert.True(OpenAttempts() >= 12, $"only {OpenAttempts()} attempts");
        Assert.True(client.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(0, _peer.ConnectionsOpened);
        var entry = report.Entries[SlackServiceCollectionExtensions.HealthCheckName];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("500", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_BeforeFirstConnection_Degraded()
    {
        var result = await new SlackSocketModeHealthCheck(new SlackSocketModeState()).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Degraded, result.Status);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 8)]
    [InlineData(6, 60)]
    [InlineData(500, 60)]
    public void Backoff_Failures_DoublesUpToTheCap(int failures, int expectedSeconds)
    {
        using var services = SlackTestServices.Create(_peer.ApiBaseUrl, new Dictionary<string, string?> { ["Slack:SocketMode"] = "true" }, configure: s => s.AddSingleton<IChatInbox>(_inbox));
        var client = services.GetServices<IHostedService>().OfType<SlackSocketModeClient>().Single();

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), client.Backoff(failures));
    }

    private int OpenAttempts() => _peer.Requests.Count(r => r.Uri.AbsolutePath.EndsWith("apps.connections.open", StringComparison.Ordinal));

    private ServiceProvider CreateServices(string ackDeadline = "00:00:00.200", TimeProvider? time = null) =>
        SlackTestServices.Create(
            _peer.ApiBaseUrl,
            new Dictionary<string, string?>
            {
                ["Slack:SocketMode"] = "true",
                ["Slack:SocketReconnectDelay"] = "00:00:00.010",
                ["Slack:SocketMaxReconnectDelay"] = "00:00:00.050",
                ["Slack:SocketAckDeadline"] = ackDeadline,
            },
            time,
            configure: s => s.AddSingleton<IChatInbox>(_inbox));

    private static Task Hello(WebSocket socket, CancellationToken ct) =>
        SlackPeer.SendAsync(socket, new JsonObject { ["type"] = "hello", ["num_connections"] = 1, ["connection_info"] = new JsonObject { ["app_id"] = "A0PEER" } }, ct);

    private async Task Envelope(WebSocket socket, string id, string type, JsonObject payload, int retryAttempt, CancellationToken ct)
    {
        await SlackPeer.SendAsync(socket, new JsonObject
        {
            ["envelope_id"] = id,
            ["type"] = type,
            ["payload"] = payload,
            ["accepts_response_payload"] = false,
            ["retry_attempt"] = retryAttempt,
            ["retry_reason"] = retryAttempt > 0 ? "timeout" : "",
        }, ct);
        var ack = await SlackPeer.ReceiveAsync(socket, ct) ?? throw new InvalidOperationException("closed before acknowledging");
        _acks.Enqueue(ack["envelope_id"]!.GetValue<string>());
    }

    private static async Task DrainAsync(WebSocket socket, CancellationToken ct)
    {
        while (await SlackPeer.ReceiveAsync(socket, ct) is not null)
        {
        }

        if (socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
        }
    }

    private static JsonObject Mention(string eventId) => new()
    {
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1700000000,
        ["event"] = new JsonObject { ["type"] = "app_mention", ["user"] = "U0ENG", ["channel"] = "C0OPS", ["ts"] = "1700000000.000100", ["text"] = "<@U0BOT> env up test", ["event_ts"] = "1700000000.000100" },
    };

    private static JsonObject SlashCommand() => new()
    {
        ["command"] = "/alert",
        ["text"] = "ack 42",
        ["channel_id"] = "C0ALERTS",
        ["user_id"] = "U0ONCALL",
        ["user_name"] = "wile",
        ["trigger_id"] = "trigger-7",
    };

    private static JsonObject ButtonPress() => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = "U0ONCALL", ["username"] = "wile" },
        ["container"] = new JsonObject { ["type"] = "message", ["channel_id"] = "C0ALERTS", ["message_ts"] = "1700000000.000500" },
        ["trigger_id"] = "trigger-8",
        ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = "alert:ack:42", ["action_ts"] = "1700000050.000001" }),
    };

    /// <summary>The inbox the adapter writes into; refuses everything as full while <see cref="Full"/> is set.</summary>
    private sealed class RecordingInbox : IChatInbox
    {
        public ConcurrentQueue<ChatRequest> RequestQueue { get; } = new();

        public ConcurrentQueue<ChatAction> ActionQueue { get; } = new();

        public ConcurrentQueue<string> ToldBusy { get; } = new();

        public IReadOnlyList<ChatRequest> Requests => [.. RequestQueue];

        public IReadOnlyList<ChatAction> Actions => [.. ActionQueue];

        public bool Full { get; set; }

        public Task BlockSlashCommandsUntil { get; set; } = Task.CompletedTask;

        public TaskCompletionSource SlashCommandEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<InboxAdmission> ReceiveAsync(ChatRequest request, CancellationToken cancellationToken)
        {
            if (request.MessageId is null)
            {
                SlashCommandEntered.TrySetResult();
                await BlockSlashCommandsUntil.WaitAsync(cancellationToken);
            }

            if (Full)
            {
                return InboxAdmission.Full;
            }

            RequestQueue.Enqueue(request);
            return InboxAdmission.Accepted;
        }

        public Task<InboxAdmission> ReceiveAsync(ChatAction action, CancellationToken cancellationToken)
        {
            if (Full)
            {
                return Task.FromResult(InboxAdmission.Full);
            }

            ActionQueue.Enqueue(action);
            return Task.FromResult(InboxAdmission.Accepted);
        }

        public Task TellBusyAsync(ChatRequest request, CancellationToken cancellationToken)
        {
            ToldBusy.Enqueue(request.DeliveryId);
            return Task.CompletedTask;
        }

        public Task TellBusyAsync(ChatAction action, CancellationToken cancellationToken)
        {
            ToldBusy.Enqueue(action.DeliveryId);
            return Task.CompletedTask;
        }
    }
}
