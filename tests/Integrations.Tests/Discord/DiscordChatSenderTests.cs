using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Interactions;
using ChatOps.Integrations.Discord.Sending;
using ChatOps.Integrations.Tests.Chat.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>Where each post and edit goes: the interaction's original response, a follow-up or a channel message.</summary>
public sealed class DiscordChatSenderTests : IDisposable
{
    private const string Interaction = "1200000000000000002";
    private static readonly ChatDestination Channel = new("discord", DiscordSamples.Channel);

    private OutboxHarness? _harness;
    private readonly RecordingDiscordRest _rest = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostAsync_AnswerToAnInteraction_FillsTheOriginalResponseAndReturnsItsRealId()
    {
        var (sender, store) = await CreateSutAsync();
        await KeepAsync(store);

        var id = await sender.PostAsync(Channel, Message("bringing *test* up", "run:1"), DiscordAnswerSlot.For(Interaction), Ct);

        Assert.Equal(_rest.OriginalId, id);
        var call = Assert.Single(_rest.Calls);
        Assert.Equal(("PATCH @original", "token-" + Interaction), (call.Route, call.Token));
        Assert.Equal("bringing **test** up", call.Body!["content"]!.GetValue<string>());
        Assert.Null(call.Body["nonce"]);
        Assert.Equal(_rest.OriginalId, (await store.GetAsync(Interaction, Ct))!.OriginalMessageId);
    }

    [Fact]
    public async Task UpdateAsync_WhileTheTokenLives_EditsThroughIt_ThenThroughTheBotToken()
    {
        var (sender, store) = await CreateSutAsync();
        await KeepAsync(store);
        var id = await sender.PostAsync(Channel, Message("bringing test up", "run:1"), DiscordAnswerSlot.For(Interaction), Ct);

        _harness!.Time.Advance(TimeSpan.FromMinutes(13));
        await sender.UpdateAsync(Channel, id, Message("still bringing test up", "run:1"), Ct);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        await sender.UpdateAsync(Channel, id, Message("test is up", "run:1"), Ct);

        Assert.Equal(["PATCH @original", "PATCH @original", "PATCH message"], _rest.Routes);
        Assert.Equal((DiscordSamples.Channel, "test is up"), (_rest.Calls[2].Channel, _rest.Calls[2].Body!["content"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PostAsync_TokenExpiredBeforeTheAnswer_PostsAMessageWithANonce()
    {
        var (sender, store) = await CreateSutAsync();
        await KeepAsync(store);
        _harness!.Time.Advance(TimeSpan.FromMinutes(14));

        await sender.PostAsync(Channel, Message("test is up", "run:1"), DiscordAnswerSlot.For(Interaction), Ct);

        var call = Assert.Single(_rest.Calls);
        Assert.Equal(("POST message", DiscordSamples.Channel), (call.Route, call.Channel));
        Assert.Equal(DiscordNonce.For("run:1"), call.Body!["nonce"]!.GetValue<string>());
        Assert.True(call.Body["enforce_nonce"]!.GetValue<bool>());
        Assert.Null(call.Body["message_reference"]);
    }

    [Fact]
    public async Task PostAsync_ShorterConfiguredTokenLifetime_IsHonoured()
    {
        var (sender, store) = await CreateSutAsync(TimeSpan.FromMinutes(2));
        await KeepAsync(store);
        _harness!.Time.Advance(TimeSpan.FromMinutes(2));

        await sender.PostAsync(Channel, Message("test is up", "run:1"), DiscordAnswerSlot.For(Interaction), Ct);

        Assert.Equal(["POST message"], _rest.Routes);
    }

    [Fact]
    public async Task PostAsync_SecondPostForOneInteraction_IsAMessageOfItsOwn_WhileARetryOfTheFirstRefillsTheOriginal()
    {
        var (sender, store) = await CreateSutAsync();
        await KeepAsync(store);
        var slot = DiscordAnswerSlot.For(Interaction);

        await sender.PostAsync(Channel, Message("first", "run:1"), slot, Ct);
        await sender.PostAsync(Channel, Message("second", "reply:x"), slot, Ct);
        await sender.PostAsync(Channel, Message("first", "run:1"), slot, Ct);

        Assert.Equal(["PATCH @original", "POST message", "PATCH @original"], _rest.Routes);
    }

    [Fact]
    public async Task PostAsync_AnswerForTheAskerAlone_IsAnEphemeralFollowUpAndTheDeferredResponseGoes()
    {
        var (sender, store) = await CreateSutAsync();
        await KeepAsync(store);

        var id = await sender.PostAsync(Channel, Message("you may not do that", "reply:" + Interaction) with { VisibleTo = DiscordSamples.UserId },
            DiscordAnswerSlot.For(Interaction), Ct);

        Assert.Equal(["POST followup", "DELETE @original"], _rest.Routes);
        Assert.Equal(64, _rest.Calls[0].Body!["flags"]!.GetValue<int>());
        Assert.NotEqual(_rest.OriginalId, id);
        Assert.True((await store.GetAsync(Interaction, Ct))!.OriginalDeleted);
    }

    [Fact]
    public async Task PostAsync_RefusalOfAPress_IsAnEphemeralFollowUpWithThePressToken()
    {
        var (sender, store) = await CreateSutAsync();
        await store.KeepAsync(new DiscordInteractionRecord("1200000000000000020", "press-token", DiscordInteractionType.MessageComponent, DiscordSamples.Channel,
            DiscordSamples.UserId, DiscordSamples.Message, _harness!.Time.GetUtcNow()), Ct);

        await sender.PostAsync(Channel, Message("not yours to press", "reply:1200000000000000020") with { VisibleTo = DiscordSamples.UserId }, DiscordSamples.Message, Ct);

        var call = Assert.Single(_rest.Calls);
        Assert.Equal(("POST followup", "press-token", 64), (call.Route, call.Token, call.Body!["flags"]!.GetValue<int>()));
    }

    [Fact]
    public async Task PostAsync_ReplyToAMessage_IsAMessageReferenceWithANonce()
    {
        var (sender, _) = await CreateSutAsync();

        await sender.PostAsync(Channel, Message("on it", "reply:m1"), DiscordSamples.Message, Ct);

        var call = Assert.Single(_rest.Calls);
        Assert.Equal("POST message", call.Route);
        Assert.Equal(DiscordSamples.Message, call.Body!["message_reference"]!["message_id"]!.GetValue<string>());
        Assert.Equal(DiscordNonce.For("reply:m1"), call.Body["nonce"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostAsync_LongText_RestGoesIntoAThreadUnderTheMessage_EachPieceWithItsOwnNonce()
    {
        var (sender, _) = await CreateSutAsync();
        var text = string.Join('\n', Enumerable.Range(0, 300).Select(i => $"output line {i:000}"));

        var id = await sender.PostAsync(Channel, Message(text, "run:9:out:1"), cancellationToken: Ct);

        Assert.Equal("POST message", _rest.Calls[0].Route);
        Assert.Equal("POST thread", _rest.Calls[1].Route);
        Assert.Equal(id, _rest.Calls[1].Body!["message_id"]!.GetValue<string>());
        var pieces = _rest.Calls.Skip(2).ToList();
        Assert.NotEmpty(pieces);
        Assert.All(pieces, p => Assert.Equal(("POST message", "2000000000000000001"), (p.Route, p.Channel)));
        var nonces = _rest.Calls.Where(c => c.Route == "POST message").Select(c => c.Body!["nonce"]!.GetValue<string>()).ToList();
        Assert.Equal(nonces.Count, nonces.Distinct().Count());
    }

    [Fact]
    public async Task PostAsync_ThreadAlreadyStarted_PiecesGoToTheThreadWithTheMessagesId()
    {
        var (sender, _) = await CreateSutAsync();
        _rest.ThreadFailure = new InvalidOperationException("A thread has already been created for this message");

        var id = await sender.PostAsync(Channel, Message(new string('x', 2500), "run:9:out:2"), cancellationToken: Ct);

        Assert.Equal(id, _rest.Calls[^1].Channel);
    }

    public void Dispose() => _harness?.Dispose();

    private static OutgoingMessage Message(string text, string key) => new() { Text = text, DeliveryKey = key };

    private Task KeepAsync(DiscordInteractionStore store) => store.KeepAsync(new DiscordInteractionRecord(Interaction, "token-" + Interaction,
        DiscordInteractionType.ApplicationCommand, DiscordSamples.Channel, DiscordSamples.UserId, null, _harness!.Time.GetUtcNow()), Ct);

    private async Task<(DiscordChatSender Sender, DiscordInteractionStore Store)> CreateSutAsync(TimeSpan? tokenLifetime = null)
    {
        _harness = await OutboxHarness.CreateAsync(schemas: [new DiscordInteractionSchema()]);
        var store = new DiscordInteractionStore(_harness.Database, _harness.Time);
        var options = Microsoft.Extensions.Options.Options.Create(new DiscordOptions { InteractionTokenLifetime = tokenLifetime ?? TimeSpan.FromMinutes(14) });
        return (new DiscordChatSender(_rest, store, options, _harness.Time, NullLogger<DiscordChatSender>.Instance), store);
    }
}
