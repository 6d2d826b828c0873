using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Discord.Gateway;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Integrations.Tests.Discord.Gateway;

/// <summary>The Gateway session against the loopback peer on the real clock: identify, the events it acts on, and how it ends.</summary>
public sealed class DiscordGatewaySessionTests
{
    private const string Alice = "1300000000000000011";

    [Fact]
    public async Task Start_IdentifiesWithTokenPropertiesAndTheThreeMessageIntents()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        await gateway.InSessionAsync();

        var connection = Assert.Single(gateway.Peer.Connections);
        Assert.Equal(gateway.Peer.GatewayUrl, connection.Url);
        Assert.Equal("?v=10&encoding=json", connection.Query);
        var identify = connection.Identify!;
        Assert.Equal(DiscordGatewayPeer.BotToken, identify["token"]!.GetValue<string>());
        // GUILD_MESSAGES (1 << 9) + DIRECT_MESSAGES (1 << 12) + MESSAGE_CONTENT (1 << 15).
        Assert.Equal(512 + 4096 + 32768, identify["intents"]!.GetValue<int>());
        Assert.Equal("linux", identify["properties"]!["os"]!.GetValue<string>());
        Assert.Empty(gateway.Peer.Violations);
        Assert.Contains(gateway.Rest.Requests, r => r.OperationId == "get_bot_gateway");
        Assert.Empty(gateway.Rest.SpecViolations);
        // The peer counts the session from when it sent READY; the client is connected once it has read it.
        await Wait.UntilAsync(async () => (await gateway.HealthAsync()).Status == HealthStatus.Healthy, "the Gateway healthy once READY is read");
    }

    [Fact]
    public async Task Frames_SplitIntoManyWebSocketFrames_AreReadWhole()
    {
        await using var gateway = await GatewayHarness.StartAsync(configurePeer: p => p.FrameBytes = 7);
        await gateway.InSessionAsync();

        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000001001", Alice, $"<@{DiscordGatewayPeer.BotUserId}> status dev", mentions: DiscordGatewayPeer.BotUserId));

        var kept = Assert.Single(await gateway.KeptAsync(1, "the mention in the inbox"));
        Assert.Equal("status dev", kept.Request!.Text);
        Assert.Single(gateway.Peer.Connections);
    }

    [Fact]
    public async Task MessageCreate_MentioningTheBot_OneRequestInTheInboxAnsweredAsAReply()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();

        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000001001", Alice,
            $"<@{DiscordGatewayPeer.BotUserId}>  bring up   dev", globalName: "Alice", mentions: DiscordGatewayPeer.BotUserId));

        var request = Assert.Single(await gateway.KeptAsync(1, "the mention in the inbox")).Request!;
        Assert.Equal(("discord", DiscordGatewayEvents.ChannelId), (request.Destination.Platform, request.Destination.Channel));
        Assert.Equal(("discord", Alice, "Alice"), (request.User.Platform, request.User.Id, request.User.DisplayName));
        Assert.Equal("bring up dev", request.Text);
        Assert.Equal("discord-message:1300000000000001001", request.DeliveryId);
        Assert.Equal("1300000000000001001", request.MessageId);
        Assert.Equal("1300000000000001001", request.ThreadOf);
    }

    [Fact]
    public async Task MessageCreate_OwnOtherBotsUnaddressedAndDirect_OnlyPeoplesMessagesToTheBotAreKept()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();
        var bot = DiscordGatewayPeer.BotUserId;

        // The bot's own message mentioning itself, another bot's mention of it, a message to someone else: none is a command.
        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000002001", bot, $"<@{bot}> env up test", authorIsBot: true, mentions: bot));
        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000002002", "1300000000000000099", $"<@{bot}> env up test", authorIsBot: true, mentions: bot));
        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000002003", Alice, "bring up dev, anyone?"));
        // A direct message needs no mention; a mention not at the start is found through mentions.
        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000002004", Alice, "status dev", direct: true, channelId: "1300000000000000201"));
        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000002005", Alice, $"please <@{bot}> halt dev", mentions: bot));

        var kept = await gateway.KeptAsync(2, "the direct message and the mention");
        // Events are handled in order, so the last one kept means the ones before were seen and passed over.
        Assert.Equal(["discord-message:1300000000000002004", "discord-message:1300000000000002005"], kept.Select(k => k.DeliveryId));
        Assert.Equal(["status dev", "please halt dev"], kept.Select(k => k.Request!.Text));
        Assert.Equal("1300000000000000201", kept[0].Request!.Destination.Channel);
    }

    [Fact]
    public async Task InteractionCreate_HandledByTheInteractionHandlerAndAnsweredThroughItsCallback()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();

        await gateway.Peer.DispatchAsync("INTERACTION_CREATE", DiscordGatewayEvents.SlashCommand("1300000000000003001", "interaction-token-1", Alice, "up", "test"));

        var callback = await gateway.Rest.WaitForCallbackAsync("1300000000000003001", "the interaction's callback");
        Assert.Equal("interaction-token-1", callback.Token);
        Assert.Equal(5, callback.Type);
        Assert.Single(gateway.Rest.InteractionCallbacks);
        Assert.Empty(gateway.Rest.SpecViolations);
        var (handled, admission) = Assert.Single(gateway.Interactions.Received);
        Assert.Equal(("1300000000000003001", InboxAdmission.Accepted), (handled, admission));
        Assert.Equal("env up test", Assert.Single(await gateway.KeptAsync()).Request!.Text);
    }

    [Fact]
    public async Task MessageCreate_InboxFull_TellsThePersonToAskAgain()
    {
        await using var gateway = await GatewayHarness.StartAsync(capacity: 1);
        await gateway.InSessionAsync();
        var bot = DiscordGatewayPeer.BotUserId;

        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000004001", Alice, "status dev", direct: true));
        await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate("1300000000000004002", Alice, $"<@{bot}> status test", mentions: bot));

        var busyKey = ChatInbox.BusyKey("discord-message:1300000000000004002");
        await Wait.UntilAsync(() => gateway.Outbox.ContainsAsync(busyKey, TestContext.Current.CancellationToken), "the busy answer in the outbox");
        Assert.Equal("discord-message:1300000000000004001", Assert.Single(await gateway.KeptAsync()).DeliveryId);
        Assert.False(await gateway.Outbox.ContainsAsync(ChatInbox.BusyKey("discord-message:1300000000000004001"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Stop_EventsReadButNotYetKept_AreKeptAndAnsweredBeforeItEnds()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.InSessionAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Interactions.HoldUntil = release.Task;
        var dispatcher = gateway.Services.GetRequiredService<GatewayDispatcher>();

        // The interaction is held on its way into the inbox; the two messages wait behind it, read from the socket.
        await gateway.Peer.DispatchAsync("INTERACTION_CREATE", DiscordGatewayEvents.SlashCommand("1300000000000005001", "interaction-token-5", Alice, "up", "test"));
        foreach (var id in new[] { "1300000000000005002", "1300000000000005003" })
        {
            await gateway.Peer.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate(id, Alice, $"<@{DiscordGatewayPeer.BotUserId}> status test",
                mentions: DiscordGatewayPeer.BotUserId));
        }

        await Wait.UntilAsync(() => dispatcher.Waiting == 2, "both messages read and waiting behind the interaction");
        var stopping = gateway.Client.StopAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => gateway.Peer.Connections[0].Ending.Ended, "the connection to end");
        release.SetResult();
        await stopping;

        Assert.Equal(["discord-interaction:1300000000000005001", "discord-message:1300000000000005002", "discord-message:1300000000000005003"],
            (await gateway.KeptAsync()).Select(k => k.DeliveryId));
        Assert.Equal("interaction-token-5", (await gateway.Rest.WaitForCallbackAsync("1300000000000005001", "the interaction's callback")).Token);
    }

    [Fact]
    public async Task Stop_ClosesWith1000SoDiscordEndsTheSessionAtOnce()
    {
        var gateway = await GatewayHarness.StartAsync();
        try
        {
            await gateway.InSessionAsync();

            await gateway.Client.StopAsync(TestContext.Current.CancellationToken);

            await Wait.UntilAsync(() => gateway.Peer.Connections[0].Ending.Ended, "the connection to end");
            Assert.Equal(1000, gateway.Peer.Connections[0].Ending.CloseCode);
            Assert.True(gateway.Client.ExecuteTask!.IsCompletedSuccessfully);
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }
}
