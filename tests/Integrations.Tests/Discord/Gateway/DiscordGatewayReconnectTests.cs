using System.Net;
using ChatOps.Integrations.Discord.Gateway;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Tests.Discord.Gateway;

/// <summary>How the Gateway client survives what Discord does to a connection: drops, op 7, op 9 and close codes.</summary>
public sealed class DiscordGatewayReconnectTests
{
    private const string Alice = "1300000000000000011";
    private static readonly string Bot = DiscordGatewayPeer.BotUserId;

    [Fact]
    public async Task Drop_CommandSentWhileDisconnected_ResumedWithSessionAndSequenceAndRunOnce()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();
        var session = gateway.Peer.SessionId;
        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000005001", Alice, $"<@{Bot}> status dev", mentions: Bot));
        await gateway.KeptAsync(1, "the first command");
        var seenBeforeDrop = gateway.Peer.Sequence;

        // Discord is unreachable for a while: the command typed meanwhile waits in the session.
        gateway.Peer.AcceptConnections = false;
        gateway.Peer.Drop();
        await Wait.UntilAsync(() => gateway.Peer.RefusedConnections >= 1, "a reconnect attempt while Discord is unreachable");
        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000005002", Alice, $"<@{Bot}> bring up dev", mentions: Bot));
        // Discord replays from before what the client had, as well: the first command arrives a second time.
        gateway.Peer.ReplayAfter = seenBeforeDrop - 1;
        gateway.Peer.AcceptConnections = true;

        await gateway.InSessionAsync(2);
        var kept = await gateway.KeptAsync(2, "the command sent during the drop");
        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000005003", Alice, "marker", direct: true));
        kept = await gateway.KeptAsync(3, "a later message, so the replayed one has been handled too");

        Assert.Equal(["status dev", "bring up dev", "marker"], kept.Select(k => k.Request!.Text));
        var resumed = gateway.Peer.Connections[1];
        Assert.Equal(gateway.Peer.ResumeUrl, resumed.Url);
        Assert.Equal("?v=10&encoding=json", resumed.Query);
        Assert.Equal((session, seenBeforeDrop), resumed.Resumed);
        Assert.Equal(DiscordGatewayPeer.BotToken, resumed.Resume!["token"]!.GetValue<string>());
        Assert.Null(resumed.Identify);
        Assert.Equal(1, gateway.Peer.SessionsStarted);
        Assert.Empty(gateway.Peer.Violations);
    }

    [Fact]
    public async Task InteractionReplayedAfterResume_HandledOnceInTheInbox()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();
        await gateway.Peer.DispatchAsync("INTERACTION_CREATE", DiscordGatewayEvents.SlashCommand("1300000000000006001", "token-1", Alice, "up", "test"));
        await gateway.KeptAsync(1, "the slash command");

        gateway.Peer.ReplayAfter = 1;
        gateway.Peer.Drop();
        await gateway.InSessionAsync(2);
        await Wait.UntilAsync(() => gateway.Interactions.Received.Count == 2, "the replayed interaction to reach the handler");

        Assert.Equal(["Accepted", "Duplicate"], gateway.Interactions.Received.Select(r => r.Admission.ToString()));
        Assert.Single(await gateway.KeptAsync());
        // Discord refuses a second answer to one interaction; the replay's callback fails and is logged, nothing more.
        await Wait.UntilAsync(() => gateway.Logs.GetSnapshot().Any(r => r.Id.Name == "DiscordGatewayInteractionCallbackFailed"), "the replay's refused callback");
        Assert.Single(gateway.Rest.InteractionCallbacks);
    }

    [Fact]
    public async Task Reconnect_Op7_ClosesKeepingTheSessionAndResumes()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();

        await gateway.Peer.SendReconnectAsync();

        await gateway.InSessionAsync(2);
        Assert.NotNull(gateway.Peer.Connections[1].Resume);
        // Closing with 1000 or 1001 would have ended the session.
        var (ended, code) = gateway.Peer.Connections[0].Ending;
        Assert.True(ended);
        Assert.NotNull(code);
        Assert.DoesNotContain(code, new int?[] { 1000, 1001 });
        Assert.Equal(1, gateway.Peer.SessionsStarted);
        Assert.Empty(gateway.Peer.Violations);
    }

    [Fact]
    public async Task InvalidSession_NotResumable_IdentifiesAgainOnTheFirstUrl()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();

        await gateway.Peer.SendInvalidSessionAsync(resumable: false);

        await gateway.InSessionAsync(2);
        var second = gateway.Peer.Connections[1];
        Assert.Equal(gateway.Peer.GatewayUrl, second.Url);
        Assert.NotNull(second.Identify);
        Assert.Null(second.Resume);
        Assert.Equal(2, gateway.Peer.SessionsStarted);
        Assert.Empty(gateway.Peer.Violations);
    }

    [Fact]
    public async Task InvalidSession_Resumable_Resumes()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();

        await gateway.Peer.SendInvalidSessionAsync(resumable: true);

        await gateway.InSessionAsync(2);
        Assert.NotNull(gateway.Peer.Connections[1].Resume);
        Assert.Equal(1, gateway.Peer.SessionsStarted);
    }

    [Fact]
    public async Task ResumeOfAnExpiredSession_InvalidSessionThenIdentifiesAgain()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();

        // Discord forgot the session while the client was away: its Resume is answered with op 9, d=false.
        gateway.Peer.AcceptConnections = false;
        gateway.Peer.Drop();
        await Wait.UntilAsync(() => gateway.Peer.RefusedConnections >= 1, "a reconnect attempt");
        await gateway.Peer.SendInvalidSessionAsync(resumable: false).ContinueWith(_ => { }, TestContext.Current.CancellationToken);
        gateway.Peer.AcceptConnections = true;

        await gateway.InSessionAsync(3);
        Assert.NotNull(gateway.Peer.Connections[1].Resume);
        Assert.NotNull(gateway.Peer.Connections[2].Identify);
        Assert.Equal(gateway.Peer.GatewayUrl, gateway.Peer.Connections[2].Url);
        Assert.Empty(gateway.Peer.Violations);
    }

    [Theory]
    [InlineData(4000, true)]
    [InlineData(4008, true)]
    [InlineData(4009, false)]
    [InlineData(4007, false)]
    public async Task Close_RetryableCode_ResumesOrStartsANewSessionAsTheDocsSay(int code, bool resumes)
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();

        await gateway.Peer.CloseAsync(code, "closed by the test");

        await gateway.InSessionAsync(2);
        var second = gateway.Peer.Connections[1];
        Assert.Equal(resumes, second.Resume is not null);
        Assert.Equal(!resumes, second.Identify is not null);
        Assert.Empty(gateway.Peer.Violations);
    }

    [Fact]
    public async Task Close4004_StopsForGoodAndSaysToSetTheToken()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();

        await gateway.Peer.CloseAsync(4004, "Authentication failed.");

        await Wait.ForAsync(gateway.Client.ExecuteTask!, "the client to give up");
        var health = await gateway.HealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("4004", health.Description, StringComparison.Ordinal);
        Assert.Contains("Discord__BotToken", health.Description, StringComparison.Ordinal);
        Assert.Single(gateway.Peer.Connections);
        var logged = Assert.Single(gateway.Logs.GetSnapshot(), r => r.Id.Name == "DiscordGatewayStopped");
        Assert.Equal(LogLevel.Critical, logged.Level);
        Assert.Contains("Discord__BotToken", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayBotRefusesTheToken_StopsForGoodWithoutConnectingAndSaysToSetTheToken()
    {
        await using var gateway = await GatewayHarness.StartAsync(configureRest: r => r.FailNext("get_bot_gateway", HttpStatusCode.Unauthorized, times: 10));

        await Wait.ForAsync(gateway.Client.ExecuteTask!, "the client to give up");

        var health = await gateway.HealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("Discord__BotToken", health.Description, StringComparison.Ordinal);
        Assert.Empty(gateway.Peer.Connections);
        Assert.Single(gateway.Rest.Requests, r => r.OperationId == "get_bot_gateway");
        Assert.Equal(LogLevel.Critical, Assert.Single(gateway.Logs.GetSnapshot(), r => r.Id.Name == "DiscordGatewayStopped").Level);
    }

    [Fact]
    public async Task Close4014_MessageContentIntentNotSwitchedOn_StopsForGoodAndSaysWhereToSwitchItOn()
    {
        await using var gateway = await GatewayHarness.StartAsync(configurePeer: p => p.PrivilegedIntentsEnabled = false);

        await Wait.ForAsync(gateway.Client.ExecuteTask!, "the client to give up");

        var health = await gateway.HealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("4014", health.Description, StringComparison.Ordinal);
        Assert.Contains("Message Content Intent", health.Description, StringComparison.Ordinal);
        Assert.Contains("Privileged Gateway Intents", health.Description, StringComparison.Ordinal);
        Assert.Single(gateway.Peer.Connections);
        Assert.Equal(0, gateway.Peer.SessionsStarted);
        Assert.Contains(gateway.Logs.GetSnapshot(), r => r.Id.Name == "DiscordGatewayStopped" && r.Message.Contains("Message Content Intent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OversizedMessage_DropsTheConnectionInsteadOfBufferingIt()
    {
        var timing = GatewayHarness.QuickTiming() with { MaxMessageBytes = 4096 };
        await using var gateway = await GatewayHarness.StartAsync(timing: timing);
        await gateway.InSessionAsync();

        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000007001", Alice, new string('x', 8000), direct: true));

        await Wait.UntilAsync(() => gateway.Peer.Connections.Count >= 2, "the client to drop the connection and come back");
        Assert.Empty(await gateway.KeptAsync());
        Assert.Contains(gateway.Logs.GetSnapshot(), r => r.Id.Name == "DiscordGatewayReconnecting" && r.Message.Contains("4096 bytes", StringComparison.Ordinal));
    }
}
