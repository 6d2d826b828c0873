using System.Text.Json.Nodes;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;

namespace ChatOps.Bot.FunctionalTests.Discord;

/// <summary>
/// Discord end to end through the Gateway (<c>Discord__Gateway=true</c>, no public URL): the bot as a real process,
/// connected to the loopback Gateway peer that the REST peer's <c>GET /gateway/bot</c> names.
/// </summary>
public sealed class DiscordGatewayEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gateway_SlashCommandAnsweredThroughItsCallbackAndAMentionAnsweredInAReply()
    {
        await using var gateway = await DiscordGatewayPeer.StartAsync(Ct);
        await using var host = await DiscordProcessHost.StartAsync(new Dictionary<string, string> { ["Discord__Gateway"] = "true" },
            peer => peer.GatewayUrl = gateway.GatewayUrl);
        await Wait.UntilAsync(() => gateway.InSession, "the bot's Gateway session", within: TimeSpan.FromMinutes(1),
            lastSeen: () => $"{gateway.Connections.Count} connections; violations: {string.Join("; ", gateway.Violations)}");

        // /env up test as INTERACTION_CREATE: deferred through the callback, then the original response edited to "is up".
        var command = DiscordProcessHost.Command(DiscordProcessHost.NextId(), "up", "test");
        var id = command["id"]!.GetValue<string>();
        host.Peer.OpenInteraction(id, DiscordProcessHost.Token(command), DiscordProcessHost.Channel);
        await gateway.DispatchAsync("INTERACTION_CREATE", command);
        var callback = await host.Peer.WaitForCallbackAsync(id, "the interaction's callback");
        Assert.Equal(5, callback.Type);
        var done = await host.WaitForOriginalAsync(DiscordProcessHost.Token(command), m => m.Content.Contains("**test** is up", StringComparison.Ordinal), "test is up");
        Assert.True(done.Edits > 0, "the original response is edited in place");

        // @ChatOps bring up dev as MESSAGE_CREATE: it runs, answered in the channel.
        var messageId = DiscordProcessHost.NextId();
        await gateway.DispatchAsync("MESSAGE_CREATE", DiscordGatewayEvents.MessageCreate(messageId, DiscordProcessHost.Carol,
            $"<@{DiscordGatewayPeer.BotUserId}> bring up dev", globalName: "Carol", channelId: DiscordProcessHost.Channel, mentions: DiscordGatewayPeer.BotUserId));
        await host.WaitForMessageAsync(m => m.Content.Contains("**dev** is up", StringComparison.Ordinal), "dev is up");
        // The run's message answers the person's message as a reply to it.
        var references = host.Peer.Requests.Where(r => r.OperationId == "create_message" && r.JsonBody is not null)
            .Select(r => JsonNode.Parse(r.JsonBody!)!["message_reference"]?["message_id"]?.GetValue<string>()).ToList();
        Assert.Contains(messageId, references);

        Assert.Empty(gateway.Violations);
        Assert.Empty(host.Peer.SpecViolations);
    }
}
