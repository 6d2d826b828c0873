using ChatOps.Bot.Inbound;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>The inbox as adapters see it, and the "too busy" answer of a full one, through the real outbox and its worker.</summary>
public sealed class ChatInboxTests : IAsyncLifetime
{
    private static readonly ChatDestination Channel = new("webchat", "C0OPS");
    private TestState _state = null!;
    private ChatInbox _sut = null!;

    public async ValueTask InitializeAsync()
    {
        _state = await TestState.CreateAsync();
        // No worker runs, so nothing kept is handled; it holds two at most.
        _sut = new ChatInbox(_state.Inbox, _state.Database, new QueueSignal<InboxItem>(), _state.Outbox, Options.Create(new InboxOptions { Capacity = 2 }), _state.Time);
    }

    public async ValueTask DisposeAsync() => await _state.DisposeAsync();

    /// <summary>Posts a marker and waits for it: the outbox sends in order, so everything queued before is out.</summary>
    private async Task<List<(string Id, string? ThreadOf)>> PostsBeforeMarkerAsync()
    {
        await _state.Replies.ReplyAsync("marker", Channel, OutgoingMessage.Plain("marker"), null, TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => _state.Chat.Posts.Any(p => _state.Chat.Versions(p.Id)[0].Text == "marker"), "the marker");
        return [.. _state.Chat.Posts.Where(p => _state.Chat.Versions(p.Id)[0].Text != "marker")];
    }

    private async Task FillAsync()
    {
        for (var i = 0; await _sut.ReceiveAsync(new ChatAction(Channel, new ChatUser("webchat", "U0FILL"), "1.0", "cancel-run:1", $"filler-{i}"),
            TestContext.Current.CancellationToken) != InboxAdmission.Full; i++)
        {
        }
    }

    [Fact]
    public async Task ReceiveAsync_Full_RefusesAndTheRetryOfAKeptOneIsADuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        var say = new ChatRequest(Channel, new ChatUser("webchat", "U0CAROL", "carol"), "status dev", "ev-1");

        var kept = await _sut.ReceiveAsync(say, ct);
        await FillAsync();
        var full = await _sut.ReceiveAsync(say with { DeliveryId = "ev-2" }, ct);
        var retry = await _sut.ReceiveAsync(say, ct);

        Assert.Equal(InboxAdmission.Accepted, kept);
        Assert.Equal(InboxAdmission.Full, full);
        Assert.Equal(InboxAdmission.Duplicate, retry);
    }

    [Fact]
    public async Task TellBusyAsync_RefusedPressTwice_SaysBusyOnceUnderThePressedMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        await FillAsync();
        var press = new ChatAction(Channel, new ChatUser("webchat", "U0CAROL"), "1700000000.000200", "confirm:3", "press-1");

        Assert.Equal(InboxAdmission.Full, await _sut.ReceiveAsync(press, ct));
        await _sut.TellBusyAsync(press, ct);
        await _sut.TellBusyAsync(press, ct);
        await _sut.TellBusyAsync(press with { DeliveryId = "press-2" }, ct);

        var busy = await PostsBeforeMarkerAsync();

        Assert.Equal(2, busy.Count);
        Assert.All(busy, p => Assert.Equal("1700000000.000200", p.ThreadOf));
        Assert.All(busy, p => Assert.Equal(ChatInbox.BusyText, _state.Chat.Versions(p.Id)[0].Text));
    }

    [Fact]
    public async Task TellBusyAsync_Request_AnswersInItsThread()
    {
        var ct = TestContext.Current.CancellationToken;
        var say = new ChatRequest(Channel, new ChatUser("webchat", "U0CAROL", "carol"), "status dev", "ev-1", ThreadOf: "1700000000.000100");

        await _sut.TellBusyAsync(say, ct);

        var busy = Assert.Single(await PostsBeforeMarkerAsync());
        Assert.Equal("1700000000.000100", busy.ThreadOf);
    }

    [Fact]
    public async Task TellBusyAsync_ThenAReplyInTheSameThread_BothUnderOneParentRecordKeptUnderItsStoredKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var say = new ChatRequest(Channel, new ChatUser("webchat", "U0CAROL", "carol"), "status dev", "ev-1", ThreadOf: "1700000000.000100");

        await _sut.TellBusyAsync(say, ct);
        await _state.Replies.ReplyAsync(ChatReplies.ReplyKey("ev-2"), Channel, OutgoingMessage.Plain("dev: 2 nodes up"), "1700000000.000100", ct);

        var posts = await PostsBeforeMarkerAsync();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal("1700000000.000100", p.ThreadOf));
        // Databases written by earlier builds hold parents under this exact key.
        var parent = await _state.Outbox.LocateAsync("thread:webchat:C0OPS:1700000000.000100", ct);
        Assert.Equal("1700000000.000100", parent?.MessageId);
    }

    private static readonly ChatUser Carol = new("webchat", "U0CAROL", "carol");

    private Task<Action?> KeepAnsweredAsync(ChatRequest request, string answer, DateTimeOffset? since = null) =>
        _state.Database.WriteAsync((c, t) => _sut.KeepAnsweredAsync(request, new QueryAnswer(OutgoingMessage.Plain(answer), since ?? _state.Time.GetUtcNow()), c, t,
            TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

    private Task<long> CountAsync(string sql) =>
        _state.Database.ReadAsync(async c => (long)(await c.ScalarAsync(sql, null, TestContext.Current.CancellationToken))!, TestContext.Current.CancellationToken);

    [Fact]
    public async Task KeepAnsweredAsync_NothingOfTheSendersOpen_KeepsItDoneWithItsAnswer_PostedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var status = new ChatRequest(Channel, Carol, "/env status dev", "ev-1");

        var committed = await KeepAnsweredAsync(status, "dev: 2 nodes up");
        Assert.NotNull(committed);
        committed();
        var retried = await KeepAnsweredAsync(status, "dev: 2 nodes up");

        Assert.Null(retried);
        Assert.Equal(InboxAdmission.Duplicate, await _sut.ReceiveAsync(status, ct));
        var answer = Assert.Single(await PostsBeforeMarkerAsync());
        Assert.Equal("dev: 2 nodes up", _state.Chat.Versions(answer.Id)[0].Text);
        Assert.True(await _state.Outbox.ContainsAsync(ChatInbox.AnswerKey("ev-1"), ct));
        // Done as it is kept: it takes no room in the inbox, and nothing is left for a worker.
        Assert.Equal(0, await CountAsync("SELECT deliveries FROM inbox_open"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM inbox WHERE state = 'done' AND started_at IS NULL"));
    }

    [Fact]
    public async Task KeepAnsweredAsync_SendersEarlierMessageWaits_WritesNothing_SoItQueuesBehindIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.ReceiveAsync(new ChatRequest(Channel, Carol, "/env up dev", "ev-1"), ct);
        var status = new ChatRequest(Channel, Carol, "/env status dev", "ev-2");

        var held = await KeepAnsweredAsync(status, "dev: halted");
        // Another person in the same channel is not held back by it.
        var other = await KeepAnsweredAsync(status with { User = new ChatUser("webchat", "U0DAVE", "dave"), DeliveryId = "ev-3" }, "dev: halted");

        Assert.Null(held);
        Assert.NotNull(other);
        Assert.False(await _state.Outbox.ContainsAsync(ChatInbox.AnswerKey("ev-2"), ct));
        Assert.Equal(InboxAdmission.Accepted, await _sut.ReceiveAsync(status, ct));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM inbox WHERE state = 'received'"));
    }

    [Fact]
    public async Task KeepAnsweredAsync_SendersEarlierMessageFinishedWhileTheAnswerWasComputed_WritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var computing = _state.Time.GetUtcNow();
        await FinishUpAsync("ev-1");

        // The answer may not show what the up did: the queue answers it instead.
        var stale = await KeepAnsweredAsync(new ChatRequest(Channel, Carol, "/env status dev", "ev-2"), "dev: halted", since: computing);
        // Begun after the up finished, by more than any clock's tolerance.
        _state.Time.Advance(new ReplicaOptions().ClockTolerance + TimeSpan.FromMilliseconds(1));
        var fresh = await KeepAnsweredAsync(new ChatRequest(Channel, Carol, "/env status dev", "ev-3"), "dev: up");

        Assert.Null(stale);
        Assert.NotNull(fresh);
        Assert.False(await _state.Outbox.ContainsAsync(ChatInbox.AnswerKey("ev-2"), ct));
    }

    [Fact]
    public async Task KeepAnsweredAsync_SendersMessageFinishedJustBeforeTheAnswerBegan_HeldBackOnlyWhereClocksMayDiffer()
    {
        await FinishUpAsync("ev-1");

        _state.Time.Advance(TimeSpan.FromMilliseconds(400));
        var close = await KeepAnsweredAsync(new ChatRequest(Channel, Carol, "/env status dev", "ev-2"), "dev: up");

        // A database server's replicas may run on other machines, whose clocks may be behind this one's by up to
        // Replicas:ClockTolerance (500 ms); replicas on one SQLite file share this machine's clock.
        Assert.Equal(TimeSpan.FromMilliseconds(500), new ReplicaOptions().ClockTolerance);
        if (_state.Database.ServerClockSql is null)
        {
            Assert.NotNull(close);
        }
        else
        {
            Assert.Null(close);
        }
    }

    /// <summary>Carol's <c>/env up dev</c>, received, started and finished now.</summary>
    private async Task FinishUpAsync(string deliveryId)
    {
        var ct = TestContext.Current.CancellationToken;
        await _sut.ReceiveAsync(new ChatRequest(Channel, Carol, "/env up dev", deliveryId), ct);
        var up = Assert.Single(await _state.StartNextAsync([], 1, ct));
        await _state.Inbox.FinishAsync(up.Seq, ct);
    }

    [Fact]
    public async Task KeepAnsweredAsync_SendersEarlierAnswerKeptTheSameMillisecond_DoesNotHoldTheNext()
    {
        // Kept answered, the first status ran nothing, so the second's answer cannot miss what it did: one person's quick
        // statuses are all answered at once, instead of the second and every one behind it taking the queue.
        var first = await KeepAnsweredAsync(new ChatRequest(Channel, Carol, "/env status dev", "ev-1"), "dev: halted");
        var second = await KeepAnsweredAsync(new ChatRequest(Channel, Carol, "/env status dev", "ev-2"), "dev: halted");

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM inbox WHERE state = 'done' AND started_at IS NULL"));
    }

    [Fact]
    public async Task KeepAnsweredAsync_AnsweredInAThreadOrAnOpenedMessage_WritesNothing()
    {
        var inThread = new ChatRequest(Channel, Carol, "/env status dev", "ev-1", ThreadOf: "1700000000.000100");
        var withSlot = new ChatRequest(Channel, Carol, "/env status dev", "ev-2") { AnswerSlot = "interaction-token" };

        Assert.Null(await KeepAnsweredAsync(inThread, "dev: halted"));
        Assert.Null(await KeepAnsweredAsync(withSlot, "dev: halted"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM inbox"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM chat_outbox"));
    }

    /// <summary>The host's side, reduced to what the inbox asks of it: answers <c>/env status …</c>, and notes every question.</summary>
    private sealed class StatusAnswers : IQueryAnswers
    {
        public List<string> Asked { get; } = [];

        public Task<OutgoingMessage?> AnswerAsync(ChatDestination destination, ChatUser user, string text, CancellationToken cancellationToken)
        {
            Asked.Add(text);
            return Task.FromResult(text.StartsWith("/env status", StringComparison.Ordinal) ? OutgoingMessage.Plain($"{text}: halted") : null);
        }
    }

    private ChatInbox Answering(StatusAnswers answers, bool paused = false) =>
        new(_state.Inbox, _state.Database, new QueueSignal<InboxItem>(), _state.Outbox, Options.Create(new InboxOptions { Paused = paused }), _state.Time, answers);

    [Fact]
    public async Task ReceiveAsync_QueryAfterTheSendersWaitingMessage_IsQueuedBehindIt_AnotherPersonsIsAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        var answers = new StatusAnswers();
        var inbox = Answering(answers);

        await inbox.ReceiveAsync(new ChatRequest(Channel, Carol, "/env up dev", "ev-1"), ct);
        var behind = await inbox.ReceiveAsync(new ChatRequest(Channel, Carol, "/env status dev", "ev-2"), ct);
        var otherPerson = await inbox.ReceiveAsync(new ChatRequest(Channel, new ChatUser("webchat", "U0DAVE", "dave"), "/env status dev", "ev-3"), ct);

        Assert.Equal(["/env up dev", "/env status dev", "/env status dev"], answers.Asked);
        Assert.Equal((InboxAdmission.Accepted, InboxAdmission.Accepted), (behind, otherPerson));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM inbox WHERE state = 'received'"));
        Assert.False(await _state.Outbox.ContainsAsync(ChatInbox.AnswerKey("ev-2"), ct));
        Assert.True(await _state.Outbox.ContainsAsync(ChatInbox.AnswerKey("ev-3"), ct));
    }

    [Fact]
    public async Task ReceiveAsync_QueryWhilePaused_IsKeptUnanswered()
    {
        var ct = TestContext.Current.CancellationToken;
        var answers = new StatusAnswers();

        var kept = await Answering(answers, paused: true).ReceiveAsync(new ChatRequest(Channel, Carol, "/env status dev", "ev-1"), ct);

        Assert.Equal(InboxAdmission.Accepted, kept);
        Assert.Empty(answers.Asked);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM inbox WHERE state = 'received'"));
    }
}
