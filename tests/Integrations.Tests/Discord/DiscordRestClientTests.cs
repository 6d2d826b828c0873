using System.Text.Json.Nodes;
using ChatOps.Integrations.Discord;
using ChatOps.TestCommon.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>Each call of the REST client against the local Discord peer, which checks every request against Discord's OpenAPI document.</summary>
public sealed class DiscordRestClientTests
{
    private const string Channel = "1200000000000000100";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateMessage_TextEmbedAndButton_ValidatesAndThePeerHoldsIt()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);
        var sut = services.GetRequiredService<IDiscordRest>();

        var posted = await sut.CreateMessageAsync(Channel, DiscordMessagePayload.Json(Message("test is up", nonce: "o:1")), Ct);

        Assert.Empty(peer.SpecViolations);
        var held = Assert.Single(peer.MessagesIn(Channel));
        Assert.Equal(held.Id, posted.Id);
        Assert.Equal(Channel, posted.ChannelId);
        Assert.Equal("test is up", held.Content);
        Assert.Equal("Status", held.Embeds[0]!["title"]!.GetValue<string>());
        Assert.Equal("cancel-run:42", held.Components[0]!["components"]![0]!["custom_id"]!.GetValue<string>());
    }

    internal static JsonObject Message(string content, string? nonce = null)
    {
        var body = new JsonObject
        {
            ["content"] = content,
            ["embeds"] = new JsonArray(new JsonObject { ["title"] = "Status", ["description"] = content, ["color"] = 0x2ECC71 }),
            ["components"] = new JsonArray(new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 2, ["style"] = 4, ["label"] = "Cancel", ["custom_id"] = "cancel-run:42" }),
            }),
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        };
        if (nonce is not null)
        {
            body["nonce"] = nonce;
            body["enforce_nonce"] = true;
        }

        return body;
    }
}
