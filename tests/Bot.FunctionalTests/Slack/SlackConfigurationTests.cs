using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Slack;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.FunctionalTests.Slack;

/// <summary>Slack is off until configured, refuses half a configuration, and Socket Mode takes the same path as HTTP.</summary>
public sealed class SlackConfigurationTests
{
    [Fact]
    public async Task NoSlackConfiguration_HostStarts_AndSlackRequestsAreRefused()
    {
        await using var factory = new BotFactory();
        var slack = new SlackDeliveries(factory.CreateClient(), "any-secret");

        var response = await slack.SlashCommandAsync("U0CAROL", "C0OPS", "/env", "up test");
        var health = await factory.CreateClient().GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain(factory.Services.GetServices<IChatSender>(), s => s.Platform == SlackInboundParser.Platform);
        Assert.Empty((await factory.Chat.GetJsonAsync("/api/runs?env=test")).EnumerateArray());
    }

    [Fact]
    public async Task SigningSecretWithoutBotToken_RefusesToStart()
    {
        await using var factory = new BotFactory(settings: new Dictionary<string, string?> { ["Slack:SigningSecret"] = "secret" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Slack:BotToken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlackUserIds_MapToPrincipalsWithConfiguredRoles()
    {
        await using var factory = new BotFactory(settings: new Dictionary<string, string?>
        {
            ["Identity:Roles:ops:0"] = "slack:U0OPS",
            // bob holds ops as webchat:bob in the embedded defaults (Identity:Roles:ops:1).
            ["Identity:People:bob:0"] = "webchat:bob",
            ["Identity:People:bob:1"] = "slack:U0BOB",
        });
        _ = factory.CreateClient();
        var principals = factory.Services.GetRequiredService<PrincipalResolver>();

        var ops = principals.Resolve(new ChatUser("slack", "U0OPS", "olga"));
        var member = principals.Resolve(new ChatUser("slack", "U0OTHER"));
        var bob = principals.Resolve(new ChatUser("slack", "U0BOB"));

        Assert.Equal("slack:U0OPS", ops.Id);
        Assert.Contains("ops", ops.Roles);
        Assert.DoesNotContain("ops", member.Roles);
        Assert.Contains("member", member.Roles);
        Assert.Equal("slack:U0OTHER", member.Id);
        Assert.Equal("person:bob", bob.Id);
        Assert.Contains("ops", bob.Roles);
    }

    [Fact]
    public async Task SocketMode_SlashCommandEnvelope_IsQueuedAndAnswered_AndHealthShowsTheConnection()
    {
        var acknowledged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = await SlackPeer.StartAsync(TestContext.Current.CancellationToken);
        peer.SocketSession = async (socket, number, ct) =>
        {
            await SlackPeer.SendAsync(socket, new JsonObject { ["type"] = "hello", ["num_connections"] = 1 }, ct);
            if (number == 1)
            {
                await SlackPeer.SendAsync(socket, new JsonObject
                {
                    ["envelope_id"] = "env-1",
                    ["type"] = "slash_commands",
                    ["accepts_response_payload"] = true,
                    ["payload"] = new JsonObject
                    {
                        ["command"] = "/env", ["text"] = "list", ["channel_id"] = "C0SOCKET", ["user_id"] = "U0CAROL",
                        ["user_name"] = "carol", ["trigger_id"] = "socket.1", ["team_id"] = "T0TEAM",
                    },
                }, ct);
            }

            while (await SlackPeer.ReceiveAsync(socket, ct) is { } frame)
            {
                acknowledged.TrySetResult(frame["envelope_id"]!.GetValue<string>());
            }
        };
        await using var factory = new BotFactory(settings: new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = SlackPeer.BotToken,
            ["Slack:AppToken"] = SlackPeer.AppToken,
            ["Slack:SocketMode"] = "true",
            ["Slack:ApiBaseUrl"] = peer.ApiBaseUrl.ToString(),
        });
        var http = factory.CreateClient();

        Assert.Equal("env-1", await Wait.ForAsync(acknowledged.Task, "the envelope's acknowledgement"));
        var reply = await WaitForMessageAsync(peer, "C0SOCKET");
        Assert.Contains("test", reply.Text);
        var report = await factory.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, report.Entries[SlackServiceCollectionExtensions.HealthCheckName].Status);
        Assert.Equal("Healthy", await http.GetStringAsync("/healthz", TestContext.Current.CancellationToken));
        Assert.Empty(peer.ContractViolations);
    }

    private static Task<PeerMessage> WaitForMessageAsync(SlackPeer peer, string channel) =>
        Wait.ForAsync(() => peer.MessagesIn(channel) is [var message, ..] ? message : null, $"a post to {channel}");
}
