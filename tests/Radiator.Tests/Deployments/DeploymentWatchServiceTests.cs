using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Deployments;
using ChatOps.Radiator.Tests.Events;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Tests.Deployments;

public sealed class DeploymentWatchServiceTests
{
    private const string Index = "deployments";

    [Fact]
    public async Task PollAsync_NewDocuments_PostsEachOnceAlsoAfterRestart()
    {
        using var t = TestStore.Create();
        await using var peer = await ElasticsearchPeer.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        peer.AddDocument(Index, "a", Document("d-1", now.AddMinutes(-5), "carol", "prod", "2.0.0"));
        peer.AddDocument(Index, "b", Document("d-2", now.AddMinutes(-3), "dave", "test", "2.0.1"));
        peer.AddDocument(Index, "old", Document("d-0", now.AddDays(-2), "erin", "prod", "1.0.0"));
        var chat = new FakeChatSender();

        var first = await CreateSut(t, peer, chat).PollAsync(ct);
        var again = await CreateSut(t, peer, chat).PollAsync(ct); // a restart: new instance, same database
        peer.AddDocument(Index, "c", Document("d-3", now.AddMinutes(-1), "frank", "dev", "2.0.2"));
        var later = await CreateSut(t, peer, chat).PollAsync(ct);

        Assert.Equal((2, 0, 1), (first, again, later));
        Assert.Equal(3, chat.Posts.Count);
        Assert.Contains("*prod*: provision version `2.0.0` by carol succeeded", chat.Texts[0], StringComparison.Ordinal);
        Assert.DoesNotContain(chat.Texts, x => x.Contains("erin", StringComparison.Ordinal)); // before the first watch's lookback
        Assert.All(chat.Posts, p => Assert.Equal(new ChatDestination("webchat", "deploys"), p.Destination));
        Assert.Empty(peer.ContractErrors);
    }

    [Fact]
    public async Task PollAsync_OurOwnRunsInTheSameIndex_AreNotPostedAgain()
    {
        using var t = TestStore.Create();
        await using var peer = await ElasticsearchPeer.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var chat = new FakeChatSender();
        var options = Options.Create(new DeploymentOptions { Channels = ["webchat:deploys"], Index = Index, WatchIndex = Index });
        var feed = new DeploymentFeed(new ChatSenders([chat]), t.Store, options, TestStore.Logger<DeploymentFeed>(), peer.CreateClient(t.Time));

        await feed.PublishAsync(new DeploymentEvent("run-1", "alice", "test", "up", null, TimeSpan.FromSeconds(40), "succeeded", t.Time.GetUtcNow().AddMinutes(-1)), ct);
        var posted = await CreateSut(t, peer, chat, options.Value).PollAsync(ct);

        var written = Assert.Single(peer.Documents(Index));
        Assert.Equal("run-1", written.Id);
        Assert.Equal("radiator", written.Source["source"]!.GetValue<string>());
        Assert.Equal(0, posted);
        Assert.Single(chat.Posts);
        Assert.Empty(peer.ContractErrors);
    }

    private static DeploymentWatchService CreateSut(TestStore t, ElasticsearchPeer peer, FakeChatSender chat, DeploymentOptions? options = null) =>
        new(peer.CreateClient(t.Time), t.Database, new ChatSenders([chat]),
            Options.Create(options ?? new DeploymentOptions { Channels = ["webchat:deploys"], WatchIndex = Index, TimestampField = "timestamp" }),
            t.Time, TestStore.Logger<DeploymentWatchService>());

    private static JsonObject Document(string id, DateTimeOffset at, string who, string environment, string version) => new()
    {
        ["timestamp"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["id"] = id,
        ["who"] = who,
        ["environment"] = environment,
        ["verb"] = "provision",
        ["version"] = version,
        ["duration_ms"] = 90_000,
        ["result"] = "succeeded",
    };
}
