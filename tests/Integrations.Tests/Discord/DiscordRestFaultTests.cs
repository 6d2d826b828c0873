using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Rest;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>What the REST client does when Discord refuses, fails or loses an answer: typed errors, retries only where they change nothing.</summary>
public sealed class DiscordRestFaultTests
{
    private const string Channel = "1200000000000000200";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BulkOverwrite_RequiredOptionAfterOptional_TypedErrorWithTheNestedFieldPath()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);
        var commands = DiscordRestClientTests.Commands();
        var options = (JsonArray)commands[0]!["options"]![0]!["options"]!;
        options.Insert(0, new JsonObject { ["type"] = 3, ["name"] = "note", ["description"] = "why" });

        var e = await Assert.ThrowsAsync<DiscordApiException>(() => services.GetRequiredService<IDiscordRest>().BulkOverwriteApplicationCommandsAsync(null, commands, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal(50035, e.Code);
        Assert.Equal("Invalid Form Body", e.DiscordMessage);
        Assert.Equal(["[0].options[0].options[1].required: Required options must be placed before non-required options (APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID)"], e.FieldErrors);
        Assert.Contains("[0].options[0].options[1].required", e.Message, StringComparison.Ordinal);
        Assert.True(((IChatSendFailure)e).IsPermanent);
        Assert.Single(peer.Requests);
        Assert.Empty(peer.Commands());
        Assert.Empty(peer.SpecViolations);
    }

    [Fact]
    public async Task CreateMessage_ContentOver2000Characters_TypedErrorNamingTheField()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);

        var e = await Assert.ThrowsAsync<DiscordApiException>(() =>
            services.GetRequiredService<IDiscordRest>().CreateMessageAsync(Channel, DiscordMessagePayload.Json(new JsonObject { ["content"] = new string('x', 2001) }), Ct));

        Assert.Equal(["content: Must be 2000 or fewer in length. (BASE_TYPE_MAX_LENGTH)"], e.FieldErrors);
        Assert.True(e.IsPermanent);
        Assert.Empty(peer.MessagesIn(Channel));
    }

    [Fact]
    public async Task CreateMessage_UnknownChannel_PermanentNotFound()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);

        var e = await Assert.ThrowsAsync<DiscordApiException>(() =>
            services.GetRequiredService<IDiscordRest>().CreateMessageAsync(DiscordRestPeer.MissingChannel, DiscordMessagePayload.Json(new JsonObject { ["content"] = "x" }), Ct));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal(10003, e.Code);
        Assert.True(e.IsPermanent);
    }

    [Fact]
    public async Task BadToken_401_PermanentAndSentOnce()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer, settings: new Dictionary<string, string?> { ["Discord:BotToken"] = "not-the-token" });

        var e = await Assert.ThrowsAsync<DiscordApiException>(() =>
            services.GetRequiredService<IDiscordRest>().CreateMessageAsync(Channel, DiscordMessagePayload.Json(new JsonObject { ["content"] = "x", ["nonce"] = "n:1", ["enforce_nonce"] = true }), Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.True(((IChatSendFailure)e).IsPermanent);
        Assert.Null(((IChatSendFailure)e).RetryAfter);
        Assert.Single(peer.Requests);
        Assert.Empty(peer.MessagesIn(Channel));
    }

    [Fact]
    public async Task CreateMessage_AnswerLostAfterTheMessageWasMade_NonceRetryGivesTheSameMessage()
    {
        var time = new ObservedTimeProvider(TimeProvider.System.GetUtcNow());
        await using var peer = await DiscordRestPeer.StartAsync(time, Ct);
        await using var services = DiscordTestServices.Create(peer, time);
        peer.DropAnswersAfterCreate(1);

        var post = services.GetRequiredService<IDiscordRest>().CreateMessageAsync(Channel, DiscordMessagePayload.Json(new JsonObject { ["content"] = "test is up", ["nonce"] = "o:17", ["enforce_nonce"] = true }), Ct);
        await time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(1), "the client backs off after the lost answer");
        time.Advance(TimeSpan.FromSeconds(1));
        var posted = await Wait.ForAsync(post, "the repeated post");

        var held = Assert.Single(peer.MessagesIn(Channel));
        Assert.Equal(held.Id, posted.Id);
        Assert.Equal(2, peer.Requests.Count);
        Assert.Empty(peer.SpecViolations);
    }

    [Fact]
    public async Task CreateMessage_AnswerLostWithoutNonce_NotSentAgain()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);
        peer.DropAnswersAfterCreate(1);

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            services.GetRequiredService<IDiscordRest>().CreateMessageAsync(Channel, DiscordMessagePayload.Json(new JsonObject { ["content"] = "once" }), Ct));

        Assert.Single(peer.MessagesIn(Channel));
        Assert.Single(peer.Requests);
    }

    [Fact]
    public async Task EditMessage_ServerError_RetriedWithBackoffThenDone()
    {
        var time = new ObservedTimeProvider(TimeProvider.System.GetUtcNow());
        await using var peer = await DiscordRestPeer.StartAsync(time, Ct);
        await using var services = DiscordTestServices.Create(peer, time);
        var sut = services.GetRequiredService<IDiscordRest>();
        var posted = await sut.CreateMessageAsync(Channel, DiscordMessagePayload.Json(new JsonObject { ["content"] = "bringing test up" }), Ct);
        peer.FailNext("update_message", HttpStatusCode.BadGateway, times: 2);

        var edit = sut.EditMessageAsync(Channel, posted.Id, DiscordMessagePayload.Json(new JsonObject { ["content"] = "test is up" }), Ct);
        await time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(1), "the first backoff");
        time.Advance(TimeSpan.FromSeconds(1));
        await time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(2), "the second, longer backoff");
        time.Advance(TimeSpan.FromSeconds(2));
        await Wait.ForAsync(edit, "the edit");

        Assert.Equal("test is up", peer.Message(posted.Id)!.Content);
        Assert.Equal(3, peer.Requests.Count(r => r.OperationId == "update_message"));
    }

    [Fact]
    public async Task CreateMessage_ServerErrorWithoutNonce_NotRetried_TransientFailure()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);
        peer.FailNext("create_message", HttpStatusCode.BadGateway);

        var e = await Assert.ThrowsAsync<DiscordApiException>(() =>
            services.GetRequiredService<IDiscordRest>().CreateMessageAsync(Channel, DiscordMessagePayload.Json(new JsonObject { ["content"] = "x" }), Ct));

        Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
        Assert.False(((IChatSendFailure)e).IsPermanent);
        Assert.Single(peer.Requests);
    }

    [Fact]
    public async Task InteractionCallback_AnsweredTwice_DiscordRefusesTheSecond()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);
        var sut = services.GetRequiredService<IDiscordRest>();
        await sut.CreateInteractionResponseAsync("1500000000000000009", "token-9", new JsonObject { ["type"] = 6 }, Ct);

        var e = await Assert.ThrowsAsync<DiscordApiException>(() => sut.CreateInteractionResponseAsync("1500000000000000009", "token-9", new JsonObject { ["type"] = 6 }, Ct));

        Assert.Equal(40060, e.Code);
        Assert.Single(peer.InteractionCallbacks);
    }

    [Fact]
    public async Task EditOriginal_TokenExpired_PermanentInvalidWebhookToken()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Create(peer);
        peer.ExpireInteractionToken("old-token");

        var e = await Assert.ThrowsAsync<DiscordApiException>(() =>
            services.GetRequiredService<IDiscordRest>().EditOriginalInteractionResponseAsync("old-token", DiscordMessagePayload.Json(new JsonObject { ["content"] = "x" }), Ct));

        Assert.Equal(50027, e.Code);
        Assert.True(e.IsPermanent);
    }
}
