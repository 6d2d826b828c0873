using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>The inbox's state machine (received → started → done or interrupted) over a real SQLite file.</summary>
public sealed class InboxStoreTests : IAsyncLifetime
{
    private static readonly ChatDestination Ops = new("webchat", "ops");
    private TestState _state = null!;

    public async ValueTask InitializeAsync() => _state = await TestState.CreateAsync();

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    private static ChatRequest Say(string user, string text, string deliveryId) =>
        new(Ops, new ChatUser("webchat", user, user.ToUpperInvariant()), text, deliveryId, $"msg-{deliveryId}", "thread-1");

    private Task<long> CountAsync(string state) =>
        _state.Database.ReadAsync(async c => (long)(await c.ScalarAsync("SELECT COUNT(*) FROM inbox WHERE state = @s", null, TestContext.Current.CancellationToken, ("@s", state)))!,
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task ReceiveAsync_SameDeliveryTwice_KeepsOneAndSaysDuplicate()
    {
        var ct = TestContext.Current.CancellationToken;

        var first = await _state.Inbox.ReceiveAsync(Say("carol", "/env up dev", "d1"), 10, ct);
        var retry = await _state.Inbox.ReceiveAsync(Say("carol", "/env up dev", "d1"), 10, ct);

        Assert.Equal(InboxAdmission.Accepted, first);
        Assert.Equal(InboxAdmission.Duplicate, retry);
        Assert.Equal(1, await CountAsync("received"));
    }

    [Fact]
    public async Task ReceiveAsync_DeliveryAlreadyHandled_IsStillADuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        await _state.Inbox.ReceiveAsync(Say("carol", "/env up dev", "d1"), 10, ct);
        var started = Assert.Single(await _state.StartNextAsync([], 10, ct));
        await _state.Inbox.FinishAsync(started.Seq, ct);

        Assert.Equal(InboxAdmission.Duplicate, await _state.Inbox.ReceiveAsync(Say("carol", "/env up dev", "d1"), 10, ct));
        Assert.Empty(await _state.StartNextAsync([], 10, ct));
    }

    [Fact]
    public async Task ReceiveAsync_AtCapacity_SaysFullUntilOneIsDone()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(InboxAdmission.Accepted, await _state.Inbox.ReceiveAsync(Say("carol", "a", "d1"), 2, ct));
        Assert.Equal(InboxAdmission.Accepted, await _state.Inbox.ReceiveAsync(Say("dave", "b", "d2"), 2, ct));

        var full = await _state.Inbox.ReceiveAsync(Say("erin", "c", "d3"), 2, ct);
        // A retry of a kept delivery is still acknowledged: it costs nothing.
        var retry = await _state.Inbox.ReceiveAsync(Say("carol", "a", "d1"), 2, ct);
        var started = await _state.StartNextAsync([], 1, ct);
        var stillFull = await _state.Inbox.ReceiveAsync(Say("erin", "c", "d3"), 2, ct);
        await _state.Inbox.FinishAsync(started[0].Seq, ct);
        var afterDone = await _state.Inbox.ReceiveAsync(Say("erin", "c", "d3"), 2, ct);

        Assert.Equal(InboxAdmission.Full, full);
        Assert.Equal(InboxAdmission.Duplicate, retry);
        Assert.Equal(InboxAdmission.Full, stillFull);
        Assert.Equal(InboxAdmission.Accepted, afterDone);
    }

    [Fact]
    public async Task StartNextAsync_OnePersonsMessages_StartOneAtATimeInArrivalOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var (text, id) in new[] { ("first", "d1"), ("second", "d2"), ("third", "d3") })
        {
            await _state.Inbox.ReceiveAsync(Say("carol", text, id), 10, ct);
        }

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var item = Assert.Single(await _state.StartNextAsync([], 10, ct));
            // Nothing more of that lane starts while one of it runs.
            Assert.Empty(await _state.StartNextAsync([item.Lane], 10, ct));
            order.Add(item.Request!.Text);
            await _state.Inbox.FinishAsync(item.Seq, ct);
        }

        Assert.Equal(["first", "second", "third"], order);
    }

    [Fact]
    public async Task StartNextAsync_SeveralPeople_StartsEachOnesOldestUpToTheLimitSkippingBusyOnes()
    {
        var ct = TestContext.Current.CancellationToken;
        await _state.Inbox.ReceiveAsync(Say("carol", "c1", "d1"), 10, ct);
        await _state.Inbox.ReceiveAsync(Say("dave", "v1", "d2"), 10, ct);
        await _state.Inbox.ReceiveAsync(Say("carol", "c2", "d3"), 10, ct);
        await _state.Inbox.ReceiveAsync(Say("erin", "e1", "d4"), 10, ct);
        await _state.Inbox.ReceiveAsync(Say("frank", "f1", "d5"), 10, ct);
        var erinsLane = InboxItem.LaneOf(Ops, new ChatUser("webchat", "erin"));

        var started = await _state.StartNextAsync([erinsLane], 2, ct);
        var rest = await _state.StartNextAsync([.. started.Select(s => s.Lane)], 10, ct);

        Assert.Equal(["c1", "v1"], started.Select(s => s.Request!.Text));
        Assert.Equal(["e1", "f1"], rest.Select(s => s.Request!.Text));
        Assert.Equal(1, await CountAsync("received"));
    }

    [Fact]
    public async Task ListStartedAsync_AfterARestart_ReturnsTheStartedDeliveryAsReceived()
    {
        var ct = TestContext.Current.CancellationToken;
        var request = Say("carol", "/env destroy dev", "d1");
        var press = new ChatAction(Ops, new ChatUser("webchat", "dave"), "msg-9", "confirm:3", "p1");
        await _state.Inbox.ReceiveAsync(request, 10, ct);
        await _state.Inbox.ReceiveAsync(press, 10, ct);
        await _state.Inbox.ReceiveAsync(Say("erin", "/env status dev", "d2"), 10, ct);
        await _state.StartNextAsync([], 2, ct);

        var started = await _state.Inbox.ListStartedAsync(ct);

        Assert.Equal(2, started.Count);
        Assert.Equal(request, started[0].Request);
        Assert.Equal("/env destroy dev", started[0].Summary);
        Assert.Equal("thread-1", started[0].ThreadOf);
        Assert.Equal(press, started[1].Action);
        Assert.Equal("msg-9", started[1].ThreadOf);
        Assert.Equal("dave", started[1].User.Name);
    }

    [Fact]
    public async Task MarkInterruptedAsync_StartedDelivery_NeverStartsAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        await _state.Inbox.ReceiveAsync(Say("carol", "/env destroy dev", "d1"), 10, ct);
        var started = Assert.Single(await _state.StartNextAsync([], 10, ct));

        await _state.Inbox.MarkInterruptedAsync(started.Seq, ct);

        Assert.Empty(await _state.Inbox.ListStartedAsync(ct));
        Assert.Empty(await _state.StartNextAsync([], 10, ct));
        Assert.Equal(InboxAdmission.Duplicate, await _state.Inbox.ReceiveAsync(Say("carol", "/env destroy dev", "d1"), 10, ct));
    }

    [Fact]
    public async Task PruneAsync_PastRetention_ForgetsFinishedButKeepsWaitingAndRunning()
    {
        var ct = TestContext.Current.CancellationToken;
        await _state.Inbox.ReceiveAsync(Say("carol", "done", "d1"), 10, ct);
        await _state.Inbox.ReceiveAsync(Say("dave", "running", "d2"), 10, ct);
        var first = await _state.StartNextAsync([], 2, ct);
        await _state.Inbox.FinishAsync(first.Single(f => f.DeliveryId == "d1").Seq, ct);
        await _state.Inbox.ReceiveAsync(Say("erin", "waiting", "d3"), 10, ct);
        _state.Time.Advance(TimeSpan.FromDays(2));

        var kept = await _state.Inbox.PruneAsync(_state.Time.GetUtcNow() - TimeSpan.FromDays(3), ct);
        var pruned = await _state.Inbox.PruneAsync(_state.Time.GetUtcNow() - TimeSpan.FromDays(1), ct);

        Assert.Equal(0, kept);
        Assert.Equal(1, pruned);
        Assert.Equal(1, await CountAsync("started"));
        Assert.Equal(1, await CountAsync("received"));
        Assert.Equal(0, await CountAsync("done"));
    }

    [Fact]
    public async Task OpenCount_ThroughReceivesDuplicatesRefusalsClaimsFinishesAndInterruptions_MatchesTheRows()
    {
        var ct = TestContext.Current.CancellationToken;
        var counts = new List<(long Kept, long Rows)>();

        async Task NoteAsync() => counts.Add((await KeptOpenCountAsync(), await CountAsync("received") + await CountAsync("started")));

        await _state.Inbox.ReceiveAsync(Say("carol", "a", "d1"), 3, ct);
        await _state.Inbox.ReceiveAsync(Say("dave", "b", "d2"), 3, ct);
        await _state.Inbox.ReceiveAsync(Say("carol", "a", "d1"), 3, ct); // a duplicate opens nothing
        await NoteAsync();
        await _state.Inbox.ReceiveAsync(Say("erin", "c", "d3"), 3, ct);
        Assert.Equal(InboxAdmission.Full, await _state.Inbox.ReceiveAsync(Say("frank", "d", "d4"), 3, ct)); // refused: opens nothing
        await NoteAsync();
        var started = await _state.StartNextAsync([], 2, ct); // a claim moves two between open states
        await NoteAsync();
        await _state.Inbox.FinishAsync(started[0].Seq, ct);
        await _state.Inbox.FinishAsync(started[0].Seq, ct); // finished once: the second changes nothing
        await _state.Inbox.MarkInterruptedAsync(started[1].Seq, ct);
        await NoteAsync();

        Assert.Equal([(2L, 2L), (3L, 3L), (3L, 3L), (1L, 1L)], counts);
        Assert.Equal(InboxAdmission.Accepted, await _state.Inbox.ReceiveAsync(Say("frank", "d", "d4"), 3, ct));
    }

    [Fact]
    public async Task OpenCount_OfADatabaseFromBeforeItWasKept_IsCountedFromTheRowsWhenMigrated()
    {
        var ct = TestContext.Current.CancellationToken;
        await _state.Inbox.ReceiveAsync(Say("carol", "a", "d1"), 10, ct);
        await _state.Inbox.ReceiveAsync(Say("dave", "b", "d2"), 10, ct);
        await _state.Inbox.ReceiveAsync(Say("erin", "c", "d3"), 10, ct);
        var started = await _state.StartNextAsync([], 1, ct);
        await _state.Inbox.FinishAsync(started[0].Seq, ct);
        var migration = new InboxSchema().Migrations.Single(m => m.Name == "inbox open count");

        await _state.Database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM inbox_open", t, ct);
            return await c.ExecuteAsync(migration.Statements[^1].Sqlite, t, ct);
        }, ct);

        Assert.Equal(2, await KeptOpenCountAsync());
    }

    private Task<long> KeptOpenCountAsync() =>
        _state.Database.ReadAsync(async c => (long)(await c.ScalarAsync("SELECT deliveries FROM inbox_open", null, TestContext.Current.CancellationToken))!,
            TestContext.Current.CancellationToken);
}
