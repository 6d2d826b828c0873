using System.Text.Json.Nodes;
using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Rest;
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

    [Fact]
    public async Task EveryCall_RequestsValidateAgainstTheOpenApiDocument()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        peer.GatewayUrl = new Uri("ws://127.0.0.1:9/gateway");
        await using var services = DiscordTestServices.Create(peer);
        var sut = services.GetRequiredService<IDiscordRest>();
        peer.OpenInteraction("1500000000000000001", "interaction-token-1", Channel);

        var gateway = await sut.GetGatewayBotAsync(Ct);
        await sut.CreateInteractionResponseAsync("1500000000000000001", "interaction-token-1", new JsonObject { ["type"] = 5 }, Ct);
        var original = await sut.EditOriginalInteractionResponseAsync("interaction-token-1", DiscordMessagePayload.Json(Message("bringing test up")), Ct);
        var followup = await sut.CreateFollowupMessageAsync("interaction-token-1", DiscordMessagePayload.Json(new JsonObject { ["content"] = "only you see this", ["flags"] = 64 }), Ct);
        await sut.EditFollowupMessageAsync("interaction-token-1", followup.Id, DiscordMessagePayload.Json(new JsonObject { ["content"] = "still only you" }), Ct);
        var posted = await sut.CreateMessageAsync(Channel, DiscordMessagePayload.Json(Message("alert #7", nonce: "a:7")), Ct);
        await sut.EditMessageAsync(Channel, posted.Id, DiscordMessagePayload.Json(new JsonObject { ["content"] = "alert #7 acknowledged", ["components"] = new JsonArray() }), Ct);
        var thread = await sut.StartThreadFromMessageAsync(Channel, posted.Id, "alert #7 output", Ct);
        var global = await sut.BulkOverwriteApplicationCommandsAsync(null, Commands(), Ct);
        var guild = await sut.BulkOverwriteApplicationCommandsAsync("1600000000000000001", Commands(), Ct);
        await sut.DeleteOriginalInteractionResponseAsync("interaction-token-1", Ct);

        Assert.Empty(peer.SpecViolations);
        Assert.Equal(
            ["get_bot_gateway", "create_interaction_response", "update_original_webhook_message", "execute_webhook", "update_webhook_message", "create_message",
                "update_message", "create_thread_from_message", "bulk_set_application_commands", "bulk_set_guild_application_commands", "delete_original_webhook_message"],
            peer.Requests.Select(r => r.OperationId));
        Assert.Equal(new Uri("ws://127.0.0.1:9/gateway"), gateway.Url);
        Assert.Equal(1000, gateway.SessionStartsRemaining);
        Assert.Equal(Channel, original.ChannelId);
        Assert.Null(peer.OriginalResponse("interaction-token-1"));
        Assert.True(peer.Message(followup.Id)!.Ephemeral);
        Assert.Equal("still only you", peer.Message(followup.Id)!.Content);
        Assert.Equal("alert #7 acknowledged", peer.Message(posted.Id)!.Content);
        Assert.Equal(thread, peer.Message(posted.Id)!.ThreadId);
        Assert.Equal("env", global[0]!["name"]!.GetValue<string>());
        Assert.Equal("1600000000000000001", guild[0]!["guild_id"]!.GetValue<string>());
        Assert.All(peer.Requests, r => Assert.StartsWith("DiscordBot (", r.Headers["User-Agent"], StringComparison.Ordinal));
        Assert.All(peer.Requests, r => Assert.Equal($"Bot {DiscordRestPeer.BotToken}", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task CreateMessage_WithAFile_SendsMultipartThePeerReadsBack()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);
        var sut = services.GetRequiredService<IDiscordRest>();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        var body = new JsonObject
        {
            ["embeds"] = new JsonArray(new JsonObject { ["title"] = "Pulse", ["image"] = new JsonObject { ["url"] = "attachment://pulse.png" } }),
            ["nonce"] = "pulse:1",
            ["enforce_nonce"] = true,
        };

        var posted = await sut.CreateMessageAsync(Channel, new DiscordMessagePayload(body, [new DiscordFile("pulse.png", "image/png", png)]), Ct);

        Assert.Empty(peer.SpecViolations);
        var request = Assert.Single(peer.Requests);
        Assert.StartsWith("multipart/form-data", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(["files[0]"], request.Files);
        var held = peer.Message(posted.Id)!;
        Assert.Equal(png, held.Attachments["pulse.png"].Content);
        Assert.Equal("image/png", held.Attachments["pulse.png"].ContentType);
        Assert.Equal("pulse.png", JsonNode.Parse(request.JsonBody!)!["attachments"]![0]!["filename"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateMessage_MisspeltField_ThePeerRefusesItAsASpecViolation()
    {
        // Discord ignores an unknown field; the peer's check is what catches one, so it must be able to fail.
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);
        var sut = services.GetRequiredService<IDiscordRest>();

        var e = await Assert.ThrowsAsync<DiscordApiException>(() => sut.CreateMessageAsync(Channel, DiscordMessagePayload.Json(new JsonObject { ["contnet"] = "typo" }), Ct));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains(peer.SpecViolations, v => v.Contains("'contnet' is not declared", StringComparison.Ordinal));
        Assert.Empty(peer.MessagesIn(Channel));
    }

    [Fact]
    public async Task CreateMessage_ButtonStyleOutOfRange_ThePeerRefusesItAsASpecViolation()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);
        var body = Message("x");
        body["components"]![0]!["components"]![0]!["style"] = 9;

        await Assert.ThrowsAsync<DiscordApiException>(() => services.GetRequiredService<IDiscordRest>().CreateMessageAsync(Channel, DiscordMessagePayload.Json(body), Ct));

        Assert.Contains(peer.SpecViolations, v => v.Contains("components", StringComparison.Ordinal));
    }

    internal static JsonArray Commands() =>
    [
        new JsonObject
        {
            ["name"] = "env",
            ["type"] = 1,
            ["description"] = "Drive environments",
            ["options"] = new JsonArray(new JsonObject
            {
                ["type"] = 1,
                ["name"] = "up",
                ["description"] = "Bring an environment up",
                ["options"] = new JsonArray(new JsonObject { ["type"] = 3, ["name"] = "env", ["description"] = "the environment", ["required"] = true, ["autocomplete"] = true }),
            }),
        },
    ];

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
