using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.WebChat;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Storage;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.WebChat;

/// <summary>The page gets the bot's times as readable text plus the moments themselves, to show in the reader's terms.</summary>
public sealed class WebChatTimeTests : IDisposable
{
    private static readonly ChatDestination Ops = new(WebChatSender.PlatformName, "ops");
    private static readonly DateTimeOffset At = new(2026, 12, 6, 16, 31, 48, TimeSpan.Zero);

    private readonly string _root = Directory.CreateTempSubdirectory("chatops-webchat-time-").FullName;
    private readonly TestStateStores _stores;

    public WebChatTimeTests() => _stores = new TestStateStores(_root);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListAsync_BotMessageWithTimes_TextShowsTheFallbackAndTimesNameTheMoments()
    {
        var (sender, store) = await CreateSutAsync();
        var later = At.AddHours(2);

        await sender.PostAsync(Ops, new OutgoingMessage { Text = $"acknowledged at {ChatTime.Mark(At)}", Context = [$"started {ChatTime.Mark(later)}"] }, cancellationToken: Ct);

        var message = Assert.Single(await store.ListAsync("ops", Ct));
        Assert.Equal("acknowledged at 2026-12-06 16:31 UTC", message.Text);
        Assert.Equal(["started 2026-12-06 18:31 UTC"], message.Context);
        Assert.Equal([new WebChatTime(At, "2026-12-06 16:31 UTC"), new WebChatTime(later, "2026-12-06 18:31 UTC")], message.Times);
    }

    [Fact]
    public async Task ListAsync_PersonTypesTheElement_ShownAsTyped()
    {
        var (_, store) = await CreateSutAsync();
        var typed = $"look {ChatTime.Mark(At)}";

        await store.PostIfAdmittedAsync("ops", "carol", typed, (_, _, _) => Task.FromResult(true), Ct);

        var message = Assert.Single(await store.ListAsync("ops", Ct));
        Assert.Equal(typed, message.Text);
        Assert.Empty(message.Times);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _stores.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<(WebChatSender Sender, WebChatStore Store)> CreateSutAsync()
    {
        var database = await _stores.OpenAsync([new WebChatSchema()]);
        await database.InitializeAsync(Ct);
        var options = Microsoft.Extensions.Options.Options.Create(new WebChatOptions());
        var store = new WebChatStore(database, new WebChatFeed(), new FakeTimeProvider(), options);
        return (new WebChatSender(store, options), store);
    }
}
