using System.Net;
using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Events;
using ChatOps.Radiator.Pulse;
using ChatOps.Radiator.Tests.Events;
using ChatOps.TestCommon;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Tests.Pulse;

public sealed class PulseServiceTests
{
    private static readonly KpiOptions Logins = new() { Name = "logins", Key = "logins", Aggregation = KpiAggregation.Count };

    [Fact]
    public async Task PostNowAsync_EmbeddedStore_PostsOneMessageWithSparklineToPulseChannel()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        await t.Store.AppendAsync([.. Enumerable.Range(0, 240).Select(i => new RadiatorEvent(now.AddSeconds(-i * 15), "logins"))], ct);
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using var sut = CreateSut(t.Source, kit, t.Time, Logins);

        var posted = await sut.PostNowAsync(ct);
        await kit.DrainAsync();

        Assert.Equal(1, posted);
        var (destination, message) = Assert.Single(chat.Posts);
        Assert.Equal(new ChatDestination("webchat", "pulse"), destination);
        Assert.Equal("20 logins in the last 5 minutes, about the same as the previous 5 minutes.", message.Text);
        Assert.NotNull(message.Image);
        Assert.Equal(0x89, message.Image.Png.Span[0]);
    }

    [Fact]
    public async Task PostNowAsync_ThreeMinutesAfterEventsBegan_GivesTheNumberAndHowMuchDataItCovers()
    {
        // 16:05:00 to 16:08:30 by the clock; /pulse is asked at 16:08:30, part-way through a 5-minute window.
        using var t = TestStore.Create(new DateTimeOffset(2026, 12, 6, 16, 5, 0, TimeSpan.Zero));
        var ct = TestContext.Current.CancellationToken;
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using var sut = CreateSut(t.Source, kit, t.Time, Logins);
        for (var second = 0; second < 210; second++)
        {
            var now = t.Time.GetUtcNow();
            await t.Store.AppendAsync([.. Enumerable.Range(0, second < 180 ? 69 : 1).Select(i => new RadiatorEvent(now.AddMilliseconds(i), "logins"))], ct);
            t.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var posted = await sut.PostNowAsync(ct);
        await kit.DrainAsync();

        Assert.Equal(1, posted);
        var (_, message) = Assert.Single(chat.Posts);
        // 180 seconds × 69 events in the three whole minutes 16:05–16:08; the minute in progress is not counted yet.
        Assert.Equal("12.4 thousand logins since 2026-12-06 16:05 UTC, 3 minutes of data.", ChatTime.Plain(message.Text));
        Assert.Equal([new DateTimeOffset(2026, 12, 6, 16, 5, 0, TimeSpan.Zero)], ChatTime.Find(message.Text).Select(x => x.At));
        Assert.Equal(12_420, (await sut.ReadAsync("logins", ct))!.Value);
        Assert.DoesNotContain("collecting", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("embedded", string.Join(" ", message.Context), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDueAsync_NothingMovedBeyondNoise_PostsNothing()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        await t.Store.AppendAsync([.. Enumerable.Range(0, 240).Select(i => new RadiatorEvent(now.AddSeconds(-i * 15), "logins"))], ct);
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using var sut = CreateSut(t.Source, kit, t.Time, Logins);

        await sut.RunDueAsync(ct);
        await kit.DrainAsync();

        Assert.Empty(chat.Posts);
    }

    [Fact]
    public async Task RunDueAsync_DataStopsArriving_SaysDataLateOnceNotZero()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        await t.Store.AppendAsync([.. Enumerable.Range(0, 60).Select(i => new RadiatorEvent(now.AddMinutes(-10).AddSeconds(-i * 10), "logins"))], ct);
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using var sut = CreateSut(t.Source, kit, t.Time, Logins);

        await sut.RunDueAsync(ct);
        t.Time.Advance(TimeSpan.FromMinutes(5));
        await sut.RunDueAsync(ct);
        await kit.DrainAsync();

        var text = Assert.Single(chat.Texts);
        Assert.StartsWith("logins: data late", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDueAsync_ElasticsearchDownThenBack_SaysDegradedOnceRecoveredOnceAndCatchesUp()
    {
        using var t = TestStore.Create();
        await using var peer = await ElasticsearchPeer.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        peer.Add(Enumerable.Range(0, 240).Select(i => new RadiatorEvent(now.AddSeconds(-i * 15), "logins")));
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        var source = new ElasticsearchEventSource(peer.CreateClient(t.Time), Options.Create(new RadiatorOptions()));
        var votes = new KpiOptions { Name = "votes", Aggregation = KpiAggregation.Sum };
        using var sut = CreateSut(source, kit, t.Time, Logins, votes);
        peer.FailWith = HttpStatusCode.ServiceUnavailable;

        for (var i = 0; i < 3; i++)
        {
            await sut.RunDueAsync(ct);
            t.Time.Advance(TimeSpan.FromMinutes(5));
        }

        await kit.DrainAsync();
        Assert.True(sut.IsDegraded);
        var degraded = Assert.Single(chat.Texts);
        Assert.StartsWith("Pulse degraded", degraded, StringComparison.Ordinal);
        Assert.Equal(3, peer.Searches); // one attempt per tick while down, not one per KPI

        peer.FailWith = null;
        await sut.RunDueAsync(ct);
        await kit.DrainAsync();

        Assert.False(sut.IsDegraded);
        Assert.Equal(2, chat.Texts.Count(x => x.StartsWith("Pulse", StringComparison.Ordinal)));
        Assert.StartsWith("Pulse recovered", chat.Texts[1], StringComparison.Ordinal);
        // Catching up posts every KPI, moved or not.
        Assert.Contains(chat.Texts, x => x.Contains("logins", StringComparison.Ordinal));
        Assert.Contains(chat.Texts, x => x.Contains("votes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostNowAsync_Elasticsearch_SendsOneRequestPerKpiPulse()
    {
        using var t = TestStore.Create();
        await using var peer = await ElasticsearchPeer.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        peer.Add([new RadiatorEvent(t.Time.GetUtcNow().AddMinutes(-1), "logins")]);
        var source = new ElasticsearchEventSource(peer.CreateClient(t.Time), Options.Create(new RadiatorOptions()));
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, new FakeChatSender());
        using var sut = CreateSut(source, kit, t.Time, Logins);

        await sut.PostNowAsync(ct);

        Assert.Equal(1, peer.Searches);
        Assert.Empty(peer.ContractErrors);
    }

    [Fact]
    public async Task ExecuteAsync_TimerTicksPastSchedule_PostsWhenMoved()
    {
        using var t = TestStore.Create(new DateTimeOffset(2026, 11, 22, 9, 0, 30, TimeSpan.Zero));
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        await t.Store.AppendAsync([.. Enumerable.Range(0, 50).Select(i => new RadiatorEvent(now.AddSeconds(i), "logins"))], ct);
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using var sut = CreateSut(t.Source, kit, t.Time, Logins);
        await sut.StartAsync(ct);
        await Wait.ForAsync(sut.TimerStarted, "the pulse's timer to start");

        t.Time.Advance(TimeSpan.FromMinutes(5));

        await chat.WaitForPostsAsync(1);
        await sut.StopAsync(ct);
        Assert.StartsWith("50 logins in the last 5 minutes", chat.Texts[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDueAsync_SourceSlowerThanTimeout_CountsAsDegradedAndBotKeepsGoing()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var source = new HangingSource();
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using var sut = CreateSut(source, kit, t.Time, Logins);

        var run = sut.RunDueAsync(ct);
        await Wait.ForAsync(source.Entered.Task, "the pulse to ask the source");
        t.Time.Advance(new PulseOptions().SourceTimeout);
        await Wait.ForAsync(run, "the pulse to give up on the source");
        await kit.DrainAsync();

        Assert.True(sut.IsDegraded);
        Assert.Equal("Pulse degraded: the hanging event source is not answering (timed out). The bot keeps working; pulses resume when it is back.", Assert.Single(chat.Texts));
    }

    [Fact]
    public async Task RunDueAsync_Cancelled_ThrowsWithoutDegradedNotice()
    {
        using var t = TestStore.Create();
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using var sut = CreateSut(new HangingSource(), kit, t.Time, Logins);
        using var cts = new CancellationTokenSource();

        var run = sut.RunDueAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(run, "the cancelled run to end"));
        await kit.DrainAsync();
        Assert.Empty(chat.Posts);
        Assert.False(sut.IsDegraded);
    }

    [Fact]
    public async Task RunDueAsync_SameWindowAgainAfterRestart_PostsOnce()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        await AppendMovedLoginsAsync(t);
        var chat = new FakeChatSender();
        await using (var before = await OutboxKit.StartAsync(t.Root, t.Time, chat))
        {
            using var first = CreateSut(t.Source, before, t.Time, Logins);
            await first.RunDueAsync(ct);
            await before.DrainAsync();
        }

        // A new process in the same window: nothing remembers in memory that the window went out.
        await using var after = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using (var second = CreateSut(t.Source, after, t.Time, Logins))
        {
            await second.RunDueAsync(ct);
            await after.DrainAsync();
            Assert.Single(chat.Posts);

            // The next window is a new pulse.
            await t.Store.AppendAsync([.. Enumerable.Range(0, 200).Select(i => new RadiatorEvent(t.Time.GetUtcNow().AddSeconds(i), "logins"))], ct);
            t.Time.Advance(TimeSpan.FromMinutes(5));
            await second.RunDueAsync(ct);
            await after.DrainAsync();
        }

        Assert.Equal(2, chat.Posts.Count);
        Assert.StartsWith("50 logins in the last 5 minutes", chat.Texts[0], StringComparison.Ordinal);
        Assert.StartsWith("200 logins in the last 5 minutes", chat.Texts[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDueAsync_QueuedButNotSentBeforeCrash_IsSentAfterRestartOnce()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        await AppendMovedLoginsAsync(t);
        var down = new FakeChatSender { FailWith = new HttpRequestException("chat is down") };
        await using (var before = await OutboxKit.StartAsync(t.Root, t.Time, down))
        {
            using var first = CreateSut(t.Source, before, t.Time, Logins);
            await first.RunDueAsync(ct);
        }

        var chat = new FakeChatSender();
        await using var after = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using var second = CreateSut(t.Source, after, t.Time, Logins);
        await second.RunDueAsync(ct);
        await after.DrainAsync(t.Time);

        var (destination, message) = Assert.Single(chat.Posts);
        Assert.Equal(new ChatDestination("webchat", "pulse"), destination);
        Assert.StartsWith("50 logins in the last 5 minutes", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostNowAsync_SameRequestTwice_PostsOnceAndApartFromTheSchedule()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        await AppendMovedLoginsAsync(t);
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        using var sut = CreateSut(t.Source, kit, t.Time, Logins);

        await sut.RunDueAsync(ct);
        var first = await sut.PostNowAsync("delivery-1", ct);
        var retried = await sut.PostNowAsync("delivery-1", ct); // the platform delivered the same /pulse again
        await sut.PostNowAsync("delivery-2", ct);
        await sut.PostNowAsync(ct);
        await sut.PostNowAsync(ct);
        await kit.DrainAsync();

        Assert.Equal((1, 1), (first, retried));
        // One scheduled, one per distinct request, one per request without an id.
        Assert.Equal(5, chat.Posts.Count);
        Assert.All(chat.Texts, text => Assert.StartsWith("50 logins", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunDueAsync_SourceDownAcrossRounds_QueuesOneDegradedNoticePerEpisode()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var chat = new FakeChatSender();
        await using var kit = await OutboxKit.StartAsync(t.Root, t.Time, chat);
        var source = new FlakySource(t.Source) { Failing = true };
        using var sut = CreateSut(source, kit, t.Time, Logins);

        await sut.RunDueAsync(ct);
        t.Time.Advance(TimeSpan.FromMinutes(5));
        await sut.RunDueAsync(ct);
        source.Failing = false;
        t.Time.Advance(TimeSpan.FromMinutes(5));
        await sut.RunDueAsync(ct);
        source.Failing = true;
        t.Time.Advance(TimeSpan.FromMinutes(5));
        await sut.RunDueAsync(ct);
        await kit.DrainAsync();

        Assert.Equal(2, chat.Texts.Count(x => x.StartsWith("Pulse degraded", StringComparison.Ordinal)));
        Assert.Equal(1, chat.Texts.Count(x => x.StartsWith("Pulse recovered", StringComparison.Ordinal)));
    }

    /// <summary>50 logins in the window that just ended and none before: a change worth posting.</summary>
    /// <summary>Logins half an hour ago (so the store is not fresh) and a jump in the last minute.</summary>
    private static Task AppendMovedLoginsAsync(TestStore t) =>
        t.Store.AppendAsync(
            [
                .. Enumerable.Range(0, 5).Select(i => new RadiatorEvent(t.Time.GetUtcNow().AddMinutes(-30).AddSeconds(i), "logins")),
                .. Enumerable.Range(0, 50).Select(i => new RadiatorEvent(t.Time.GetUtcNow().AddSeconds(-1 - i), "logins")),
            ],
            TestContext.Current.CancellationToken);

    private static PulseService CreateSut(IEventSource source, OutboxKit kit, TimeProvider time, params KpiOptions[] kpis) =>
        new(source, kit.Outbox, Options.Create(new PulseOptions { Kpis = [.. kpis], Channels = ["webchat:pulse"] }), time, TestStore.Logger<PulseService>());
}

/// <summary>A source that never answers until cancelled: Elasticsearch hanging.</summary>
internal sealed class HangingSource : IEventSource
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "hanging";

    public async Task<IReadOnlyList<Measurement>> MeasureAsync(KpiQuery query, IReadOnlyList<TimeWindow> windows, CancellationToken cancellationToken)
    {
        Entered.TrySetResult();
        await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>A source that fails while <see cref="Failing"/> is set, and otherwise answers from another.</summary>
internal sealed class FlakySource(IEventSource inner) : IEventSource
{
    public bool Failing { get; set; }

    public string Name => "flaky";

    public Task<IReadOnlyList<Measurement>> MeasureAsync(KpiQuery query, IReadOnlyList<TimeWindow> windows, CancellationToken cancellationToken) =>
        Failing ? throw new HttpRequestException("connection refused") : inner.MeasureAsync(query, windows, cancellationToken);
}
