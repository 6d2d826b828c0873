using System.Data.Common;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
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
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);

        var first = await CreateSut(t, peer, kit.Outbox).PollAsync(ct);
        await kit.DrainAsync();
        var again = await CreateSut(t, peer, kit.Outbox).PollAsync(ct); // a restart: new instance, same database
        peer.AddDocument(Index, "c", Document("d-3", now.AddMinutes(-1), "frank", "dev", "2.0.2"));
        var later = await CreateSut(t, peer, kit.Outbox).PollAsync(ct);
        await kit.DrainAsync();

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
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        var options = Options.Create(new DeploymentOptions { Channels = ["webchat:deploys"], Index = Index, WatchIndex = Index });
        var feed = new DeploymentFeed(kit.Outbox, t.Store, options, TestStore.Logger<DeploymentFeed>(), peer.CreateClient(t.Time));

        await feed.PublishAsync(new DeploymentEvent("run-1", "alice", "test", "up", null, TimeSpan.FromSeconds(40), "succeeded", t.Time.GetUtcNow().AddMinutes(-1)), ct);
        var posted = await CreateSut(t, peer, kit.Outbox, options.Value).PollAsync(ct);
        await kit.DrainAsync();

        var written = Assert.Single(peer.Documents(Index));
        Assert.Equal("run-1", written.Id);
        Assert.Equal("radiator", written.Source["source"]!.GetValue<string>());
        Assert.Equal(0, posted);
        Assert.Single(chat.Posts);
        Assert.Empty(peer.ContractErrors);
    }

    [Fact]
    public async Task PollAsync_CrashAfterQueueingBeforeCursor_RereadAfterRestartPostsEachOnce()
    {
        using var t = TestStore.Create();
        await using var peer = await ElasticsearchPeer.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        peer.AddDocument(Index, "a", Document("d-1", now.AddMinutes(-5), "carol", "prod", "2.0.0"));
        peer.AddDocument(Index, "b", Document("d-2", now.AddMinutes(-3), "dave", "test", "2.0.1"));
        peer.AddDocument(Index, "c", Document("d-3", now.AddMinutes(-2), "erin", "dev", "2.0.2"));
        var chat = new FakeChatSender();
        var options = new DeploymentOptions { Channels = ["webchat:deploys", "webchat:releases"], WatchIndex = Index, TimestampField = "timestamp" };

        await using (var before = await OutboxKit.StartAsync(t.Root, t.Time, chat))
        {
            // The process dies right after the second document's first post is written: neither that
            // document nor the page's cursor is remembered yet.
            var dying = new DyingOutbox(before.Outbox, survivingWrites: 2);
            await Assert.ThrowsAsync<ProcessDiedException>(() => CreateSut(t, peer, dying, options).PollAsync(ct));
            await before.DrainAsync();
        }

        await using var after = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        var posted = await CreateSut(t, peer, after.Outbox, options).PollAsync(ct);
        var again = await CreateSut(t, peer, after.Outbox, options).PollAsync(ct);
        await after.DrainAsync();

        Assert.Equal((2, 0), (posted, again)); // d-2 finished queueing and d-3 was new; d-1 was remembered
        Assert.Equal(6, chat.Posts.Count);
        foreach (var who in new[] { "carol", "dave", "erin" })
        {
            Assert.Equal(["deploys", "releases"], chat.Posts.Where(p => p.Message.Text.Contains(who, StringComparison.Ordinal)).Select(p => p.Destination.Channel).Order());
        }

        Assert.Empty(peer.ContractErrors);
    }

    private static DeploymentWatchService CreateSut(TestStore t, ElasticsearchPeer peer, IChatOutbox outbox, DeploymentOptions? options = null) =>
        new(peer.CreateClient(t.Time), t.Database, outbox,
            Options.Create(options ?? new DeploymentOptions { Channels = ["webchat:deploys"], WatchIndex = Index, TimestampField = "timestamp" }),
            t.Ownership, t.Time, TestStore.Logger<DeploymentWatchService>());

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

/// <summary>The real outbox, in a process that dies (throws) right after a given number of post writes.</summary>
internal sealed class DyingOutbox(IChatOutbox inner, int survivingWrites) : IChatOutbox
{
    private int _writes;

    public async Task<bool> EnqueuePostAsync(string key, ChatDestination destination, OutgoingMessage message, string? threadOfKey = null, string? digestAs = null, CancellationToken cancellationToken = default)
    {
        var queued = await inner.EnqueuePostAsync(key, destination, message, threadOfKey, digestAs, cancellationToken);
        return ++_writes > survivingWrites ? throw new ProcessDiedException() : queued;
    }

    public Task<Action> EnqueuePostInAsync(string key, ChatDestination destination, OutgoingMessage message, DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken = default) =>
        inner.EnqueuePostInAsync(key, destination, message, connection, transaction, cancellationToken);

    public Task<bool> EnqueueUpdateAsync(string postKey, ChatDestination destination, OutgoingMessage message, CancellationToken cancellationToken = default) =>
        inner.EnqueueUpdateAsync(postKey, destination, message, cancellationToken);

    public Task<string?> GetMessageIdAsync(string postKey, CancellationToken cancellationToken = default) => inner.GetMessageIdAsync(postKey, cancellationToken);

    public Task<ChatPostLocation?> LocateAsync(string postKey, CancellationToken cancellationToken = default) => inner.LocateAsync(postKey, cancellationToken);

    public Task<bool> ContainsAsync(string postKey, CancellationToken cancellationToken = default) => inner.ContainsAsync(postKey, cancellationToken);

    public Task<bool> AdoptAsync(string key, ChatDestination destination, string messageId, CancellationToken cancellationToken = default) =>
        inner.AdoptAsync(key, destination, messageId, cancellationToken);
}

internal sealed class ProcessDiedException : Exception
{
    public ProcessDiedException()
        : base("the process died")
    {
    }
}
