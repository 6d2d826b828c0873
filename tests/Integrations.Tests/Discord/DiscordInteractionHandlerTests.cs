using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Discord.Interactions;
using ChatOps.Integrations.Tests.Chat.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>The handling both ways in share, over the real inbox and interaction store in SQLite.</summary>
public sealed class DiscordInteractionHandlerTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private OutboxHarness? _harness;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HandleAsync_Command_IsKeptWithItsTokenAndDeferred()
    {
        var (handler, store) = await CreateSutAsync();

        var response = await handler.HandleAsync(DiscordSamples.Element(DiscordSamples.Command("1200000000000000002", "env", "up", ("env", "test"))), Ct);

        Assert.Equal("""{"type":5}""", response.ToJsonString());
        var request = Assert.Single(await RequestsAsync());
        Assert.Equal(("discord:" + DiscordSamples.Channel, "env up test", "1200000000000000002"), (request.Destination.ToString(), request.Text, request.DeliveryId));
        Assert.Equal(new ChatUser("discord", DiscordSamples.UserId, "Ada Lovelace"), request.User);
        Assert.Equal("interaction:1200000000000000002", request.AnswerSlot);
        var kept = await store.GetAsync("1200000000000000002", Ct);
        Assert.NotNull(kept);
        Assert.Equal(("token-1200000000000000002", DiscordSamples.Channel, DiscordSamples.UserId, _harness!.Time.GetUtcNow()),
            (kept.Token, kept.ChannelId, kept.UserId, kept.ReceivedAt));
    }

    [Fact]
    public async Task HandleAsync_SameInteractionTwice_DeferredBothTimesKeptOnce()
    {
        var (handler, _) = await CreateSutAsync();
        var interaction = DiscordSamples.Element(DiscordSamples.Command("1200000000000000002", "env", "up", ("env", "test")));

        var first = await handler.HandleAsync(interaction, Ct);
        var again = await handler.HandleAsync(interaction, Ct);

        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Single(await RequestsAsync());
    }

    [Fact]
    public async Task HandleAsync_ButtonPress_IsKeptAsAnActionOnTheMessageAndAcknowledgedWithADeferredUpdate()
    {
        var (handler, store) = await CreateSutAsync();

        var response = await handler.HandleAsync(DiscordSamples.Element(DiscordSamples.Press("1200000000000000020", "confirm:3")), Ct);

        Assert.Equal("""{"type":6}""", response.ToJsonString());
        var payload = await _harness!.ScalarAsync<string>("SELECT payload FROM inbox WHERE kind = 'action'");
        var action = JsonSerializer.Deserialize<ChatAction>(payload, Json)!;
        Assert.Equal((DiscordSamples.Message, "confirm:3", "1200000000000000020", "discord:" + DiscordSamples.Channel),
            (action.MessageId, action.ActionId, action.DeliveryId, action.Destination.ToString()));
        Assert.NotNull(await store.FindLatestPressAsync(DiscordSamples.Channel, DiscordSamples.Message, DiscordSamples.UserId, Ct));
    }

    [Fact]
    public async Task HandleAsync_Autocomplete_AnswersMatchingEnvironmentsAndKeepsNothing()
    {
        var (handler, store) = await CreateSutAsync();

        var response = await handler.HandleAsync(DiscordSamples.Element(DiscordSamples.Autocomplete("1200000000000000030", "env", "up", "env", "t")), Ct);

        Assert.Equal(8, response["type"]!.GetValue<int>());
        Assert.Equal(["test", "staging"], response["data"]!["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()));
        Assert.Equal(0L, await _harness!.ScalarAsync<long>("SELECT COUNT(*) FROM inbox"));
        Assert.Null(await store.GetAsync("1200000000000000030", Ct));
    }

    [Fact]
    public async Task HandleAsync_AutocompleteWithManyMatches_AnswersAtMost25()
    {
        var (handler, _) = await CreateSutAsync(new ManyNames());

        var response = await handler.HandleAsync(DiscordSamples.Element(DiscordSamples.Autocomplete("1200000000000000031", "env", "up", "env", "")), Ct);

        Assert.Equal(25, response["data"]!["choices"]!.AsArray().Count);
    }

    [Fact]
    public async Task HandleAsync_InboxFull_AnswersBusyToTheAskerAloneAndKeepsNothing()
    {
        var (handler, store) = await CreateSutAsync(capacity: 1);
        await handler.HandleAsync(DiscordSamples.Element(DiscordSamples.Command("1200000000000000002", "env", "up", ("env", "test"))), Ct);

        var response = await handler.HandleAsync(DiscordSamples.Element(DiscordSamples.Command("1200000000000000003", "env", "up", ("env", "dev"))), Ct);

        Assert.Equal(4, response["type"]!.GetValue<int>());
        Assert.Equal(64, response["data"]!["flags"]!.GetValue<int>());
        Assert.Contains("try again", response["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(await RequestsAsync());
        Assert.Null(await store.GetAsync("1200000000000000003", Ct));
    }

    [Fact]
    public async Task HandleAsync_BadData_ThrowsAndKeepsNothing()
    {
        var (handler, store) = await CreateSutAsync();
        var interaction = DiscordSamples.Without(DiscordSamples.Command("1200000000000000002", "env", "up", ("env", "test")), "member");

        await Assert.ThrowsAsync<DiscordInteractionException>(() => handler.HandleAsync(DiscordSamples.Element(interaction), Ct));

        Assert.Empty(await RequestsAsync());
        Assert.Null(await store.GetAsync("1200000000000000002", Ct));
    }

    [Fact]
    public async Task HandleAsync_Ping_IsPong()
    {
        var (handler, _) = await CreateSutAsync();

        var response = await handler.HandleAsync(DiscordSamples.Element(JsonNode.Parse("""{"id":"1200000000000000001","type":1}""")!), Ct);

        Assert.Equal("""{"type":1}""", response.ToJsonString());
    }

    public void Dispose() => _harness?.Dispose();

    private async Task<(DiscordInteractionHandler Handler, DiscordInteractionStore Store)> CreateSutAsync(IDiscordCommandVocabulary? vocabulary = null, int capacity = 100)
    {
        _harness = await OutboxHarness.CreateAsync(schemas: [new InboxSchema(), new DiscordInteractionSchema()]);
        var inbox = new ChatInbox(new InboxStore(_harness.Database, _harness.Time, OutboxHarness.Replica), _harness.Database, new QueueSignal<InboxItem>(), _harness.Outbox,
            Microsoft.Extensions.Options.Options.Create(new InboxOptions { Capacity = capacity }), _harness.Time);
        var store = new DiscordInteractionStore(_harness.Database, _harness.Time);
        return (new DiscordInteractionHandler(inbox, store, vocabulary ?? new FixedVocabulary(), _harness.Time, NullLogger<DiscordInteractionHandler>.Instance), store);
    }

    private async Task<List<ChatRequest>> RequestsAsync()
    {
        var payloads = await _harness!.Database.ReadAsync(c => ChatOps.Integrations.Storage.DbExtensions.QueryAsync(c, "SELECT payload FROM inbox WHERE kind = 'request' ORDER BY seq", null,
            r => r.GetString(0), Ct), Ct);
        return [.. payloads.Select(p => JsonSerializer.Deserialize<ChatRequest>(p, Json)!)];
    }

    private sealed class ManyNames : IDiscordCommandVocabulary
    {
        public bool IsNamedOnly(IReadOnlyList<string> command, string option) => false;

        public IReadOnlyList<string> Suggest(IReadOnlyList<string> command, string option, string typed) => [.. Enumerable.Range(0, 40).Select(i => $"env{i}")];
    }
}
