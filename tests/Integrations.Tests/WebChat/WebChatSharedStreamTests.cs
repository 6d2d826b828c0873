using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.WebChat;

/// <summary>
/// Two replicas on one database (SQLite, or PostgreSQL in the second engine's run), each with its own store, feed and tail: a page on either sees every post and edit,
/// in the order they were made, including those the other replica made.
/// </summary>
public sealed class WebChatSharedStreamTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-webchat-shared-").FullName;
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        _stop.Dispose();
        await TestStateStores.Of(_root).DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task PostAndEditOnOneReplica_ReachTheOtherReplicasStream()
    {
        var (first, _) = await StartReplicaAsync(TimeSpan.FromMilliseconds(50));
        var (_, secondFeed) = await StartReplicaAsync(TimeSpan.FromMilliseconds(50));
        await using var stream = secondFeed.SubscribeAsync(TimeSpan.FromMinutes(1), TimeProvider.System, _stop.Token).GetAsyncEnumerator(_stop.Token);
        var next = stream.MoveNextAsync().AsTask();

        var posted = await first.PostAsync("ops", "bot", OutgoingMessage.Plain("deploying"), null, Ct);
        Assert.True(await Wait.ForAsync(next, "the post on the other replica's stream"));
        Assert.Equal((posted.Id, "deploying"), (stream.Current!.Id, stream.Current.Text));

        next = stream.MoveNextAsync().AsTask();
        await first.UpdateAsync(posted.Id, OutgoingMessage.Plain("deployed"), Ct);
        Assert.True(await Wait.ForAsync(next, "the edit on the other replica's stream"));
        Assert.Equal((posted.Id, "deployed", 2), (stream.Current!.Id, stream.Current.Text, stream.Current.Version));
    }

    [Fact]
    public async Task PostsFromBothReplicas_EachStreamSeesAllOnceInTheOrderTheyWereMade()
    {
        var (first, firstFeed) = await StartReplicaAsync(TimeSpan.FromMilliseconds(50));
        var (second, secondFeed) = await StartReplicaAsync(TimeSpan.FromMilliseconds(50));
        var firstSeen = Collect(firstFeed);
        var secondSeen = Collect(secondFeed);

        var made = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var store = i % 2 == 0 ? first : second;
            made.Add((await store.PostAsync("ops", "bot", OutgoingMessage.Plain($"message {i}"), null, Ct)).Id);
        }

        await Wait.UntilAsync(() => Count(firstSeen) >= 10 && Count(secondSeen) >= 10, "both streams to see ten posts");
        Assert.Equal(made, Snapshot(firstSeen));
        Assert.Equal(made, Snapshot(secondSeen));
    }

    [Fact]
    public async Task OwnPost_ReachesTheStreamWithoutWaitingForAPoll()
    {
        // A poll that never comes on this clock: only the replica's own wake-up can deliver.
        var (store, feed) = await StartReplicaAsync(TimeSpan.FromSeconds(59), new FakeTimeProvider());
        await using var stream = feed.SubscribeAsync(TimeSpan.FromMinutes(1), TimeProvider.System, _stop.Token).GetAsyncEnumerator(_stop.Token);
        var next = stream.MoveNextAsync().AsTask();

        var posted = await store.PostAsync("ops", "bot", OutgoingMessage.Plain("hello"), null, Ct);

        Assert.True(await Wait.ForAsync(next, "the replica's own post on its stream"));
        Assert.Equal(posted.Id, stream.Current!.Id);
    }

    [Fact]
    public async Task StreamOpenedLater_DoesNotReplayWhatCameBefore()
    {
        var (store, feed) = await StartReplicaAsync(TimeSpan.FromMilliseconds(50));
        var earlier = Collect(feed);
        await store.PostAsync("ops", "bot", OutgoingMessage.Plain("before"), null, Ct);
        await Wait.UntilAsync(() => Count(earlier) == 1, "the first post on a stream open before it");
        var seen = Collect(feed);

        var after = await store.PostAsync("ops", "bot", OutgoingMessage.Plain("after"), null, Ct);

        await Wait.UntilAsync(() => Count(earlier) == 2, "the later post on the earlier stream");
        Assert.Equal([after.Id], Snapshot(seen));
    }

    private async Task<(WebChatStore Store, WebChatFeed Feed)> StartReplicaAsync(TimeSpan poll, TimeProvider? tailTime = null)
    {
        var shared = await TestStateStores.Of(_root).GetAsync();
        var database = new StateDatabase(Options.Create(shared.Options()), [new WebChatSchema()], new TestHostEnvironment(_root));
        _owned.Add(database);
        await database.InitializeAsync(Ct);
        var options = Options.Create(new WebChatOptions { StreamPollInterval = poll });
        var feed = new WebChatFeed();
        var store = new WebChatStore(database, feed, new FakeTimeProvider(), options);
        var tail = new WebChatTail(store, feed, options, tailTime ?? TimeProvider.System, NullLogger<WebChatTail>.Instance);
        await tail.StartAsync(Ct);
        _owned.Add(new Stopping(tail));
        return (store, feed);
    }

    private static int Count(List<string> seen)
    {
        lock (seen)
        {
            return seen.Count;
        }
    }

    private static List<string> Snapshot(List<string> seen)
    {
        lock (seen)
        {
            return [.. seen];
        }
    }

    /// <summary>Ids of what the feed publishes from now on, read on a background task.</summary>
    private List<string> Collect(WebChatFeed feed)
    {
        var seen = new List<string>();
        var stream = feed.SubscribeAsync(TimeSpan.FromMinutes(1), TimeProvider.System, _stop.Token).GetAsyncEnumerator(_stop.Token);
        var first = stream.MoveNextAsync(); // subscribed from here on
        _ = Task.Run(async () =>
        {
            try
            {
                for (var more = await first; more; more = await stream.MoveNextAsync())
                {
                    if (stream.Current is { } message)
                    {
                        lock (seen)
                        {
                            seen.Add(message.Id);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        return seen;
    }

    private sealed class Stopping(WebChatTail tail) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await tail.StopAsync(CancellationToken.None);
            tail.Dispose();
        }
    }
}
