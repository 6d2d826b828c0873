using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.WebChat;

/// <summary>Message ids carry a tag that cannot be guessed, survive a restart, and a refused post leaves nothing.</summary>
public sealed class WebChatMessageIdTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chatops-webchat-ids-").FullName;
    private readonly TestStateStores _stores;

    public WebChatMessageIdTests() => _stores = new TestStateStores(_root);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _stores.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task GetAsync_IdWithoutOrWithWrongTag_IsNotFound()
    {
        var (store, _) = await CreateSutAsync();
        var posted = await store.PostAsync("ops", "carol", OutgoingMessage.Plain("hello"), null, Ct);
        var seq = posted.Id[1..posted.Id.IndexOf('-', StringComparison.Ordinal)];

        Assert.Null(await store.GetAsync($"m{seq}", Ct));
        Assert.Null(await store.GetAsync($"m{seq}-{new string('0', 24)}", Ct));
        Assert.Null(await store.GetAsync($"m{seq}-{posted.Id[^24..].ToUpperInvariant()}x", Ct));
        Assert.Equal(posted.Id, (await store.GetAsync(posted.Id, Ct))?.Id);
    }

    [Fact]
    public async Task Ids_AfterARestart_AreTheSame()
    {
        var (store, _) = await CreateSutAsync();
        var posted = await store.PostAsync("ops", "carol", OutgoingMessage.Plain("hello"), null, Ct);

        var (restarted, _) = await CreateSutAsync();

        Assert.Equal(posted.Id, (await restarted.GetAsync(posted.Id, Ct))?.Id);
    }

    [Fact]
    public async Task Ids_InAnotherDatabase_AreDifferent()
    {
        var (store, _) = await CreateSutAsync("a.db");
        var (other, _) = await CreateSutAsync("b.db");

        var first = await store.PostAsync("ops", "carol", OutgoingMessage.Plain("hello"), null, Ct);
        var second = await other.PostAsync("ops", "carol", OutgoingMessage.Plain("hello"), null, Ct);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Null(await other.GetAsync(first.Id, Ct));
    }

    [Fact]
    public async Task UpdateAsync_IdRecordedBeforeTagsExisted_StillEditsTheMessage()
    {
        var (store, _) = await CreateSutAsync();
        var posted = await store.PostAsync("ops", "bot", OutgoingMessage.Plain("step 1"), null, Ct);

        var updated = await store.UpdateAsync(posted.Id[..posted.Id.IndexOf('-', StringComparison.Ordinal)], OutgoingMessage.Plain("step 2"), Ct);

        Assert.Equal((posted.Id, "step 2", 2), (updated.Id, updated.Text, updated.Version));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.UpdateAsync(posted.Id[..^1] + (posted.Id[^1] == '0' ? "1" : "0"), OutgoingMessage.Plain("forged"), Ct));
    }

    [Fact]
    public async Task PostIfAdmittedAsync_Refused_KeepsAndPublishesNothing()
    {
        var (store, feed) = await CreateSutAsync();
        using var tail = new WebChatTail(store, feed, Microsoft.Extensions.Options.Options.Create(new WebChatOptions()), TimeProvider.System, NullLogger<WebChatTail>.Instance);
        await tail.StartAsync(Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var stream = feed.SubscribeAsync(TimeSpan.FromMinutes(1), TimeProvider.System, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = stream.MoveNextAsync();

        var refused = await store.PostIfAdmittedAsync("ops", "carol", "/env up dev", (_, _, _) => Task.FromResult(false), Ct);
        var kept = await store.PostIfAdmittedAsync("ops", "carol", "/env up test", (_, _, _) => Task.FromResult(true), Ct);

        Assert.Null(refused);
        Assert.Equal(["/env up test"], (await store.ListAsync("ops", Ct)).Select(m => m.Text));
        Assert.True(await next);
        Assert.Equal(kept!.Id, stream.Current!.Id);
        await tail.StopAsync(Ct);
    }

    private async Task<(WebChatStore Store, WebChatFeed Feed)> CreateSutAsync(string file = "state.db")
    {
        var database = await _stores.OpenAsync([new WebChatSchema()], file);
        await database.InitializeAsync(Ct);
        var feed = new WebChatFeed();
        return (new WebChatStore(database, feed, new FakeTimeProvider(), Microsoft.Extensions.Options.Options.Create(new WebChatOptions())), feed);
    }
}
