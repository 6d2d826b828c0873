using System.Net;
using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Events;
using ChatOps.Radiator.Pulse;
using ChatOps.Radiator.Tests.Events;
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
        using var sut = CreateSut(t.Source, chat, t.Time, Logins);

        var posted = await sut.PostNowAsync(ct);

        Assert.Equal(1, posted);
        var (destination, message) = Assert.Single(chat.Posts);
        Assert.Equal(new ChatDestination("webchat", "pulse"), destination);
        Assert.Equal("20 logins in the last 5 minutes, about the same as the previous 5 minutes.", message.Text);
        Assert.NotNull(message.Image);
        Assert.Equal(0x89, message.Image.Png.Span[0]);
    }

    [Fact]
    public async Task RunDueAsync_NothingMovedBeyondNoise_PostsNothing()
    {
        using var t = TestStore.Create();
        var ct = TestContext.Current.CancellationToken;
        var now = t.Time.GetUtcNow();
        await t.Store.AppendAsync([.. Enumerable.Range(0, 240).Select(i => new RadiatorEvent(now.AddSeconds(-i * 15), "logins"))], ct);
        var chat = new FakeChatSender();
        using var sut = CreateSut(t.Source, chat, t.Time, Logins);

        await sut.RunDueAsync(ct);

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
        using var sut = CreateSut(t.Source, chat, t.Time, Logins);

        await sut.RunDueAsync(ct);
        t.Time.Advance(TimeSpan.FromMinutes(5));
        await sut.RunDueAsync(ct);

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
        var source = new ElasticsearchEventSource(peer.CreateClient(t.Time), Options.Create(new RadiatorOptions()));
        var votes = new KpiOptions { Name = "votes", Aggregation = KpiAggregation.Sum };
        using var sut = CreateSut(source, chat, t.Time, Logins, votes);
        peer.FailWith = HttpStatusCode.ServiceUnavailable;

        for (var i = 0; i < 3; i++)
        {
            await sut.RunDueAsync(ct);
            t.Time.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.True(sut.IsDegraded);
        var degraded = Assert.Single(chat.Texts);
        Assert.StartsWith("Pulse degraded", degraded, StringComparison.Ordinal);
        Assert.Equal(3, peer.Searches); // one attempt per tick while down, not one per KPI

        peer.FailWith = null;
        await sut.RunDueAsync(ct);

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
        using var sut = CreateSut(source, new FakeChatSender(), t.Time, Logins);

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
        using var sut = CreateSut(t.Source, chat, t.Time, Logins);
        await sut.StartAsync(ct);
        await sut.TimerStarted.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System, ct);

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
        using var sut = CreateSut(source, chat, t.Time, Logins);

        var run = sut.RunDueAsync(ct);
        await source.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System, ct);
        t.Time.Advance(new PulseOptions().SourceTimeout);
        await run.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System, ct);

        Assert.True(sut.IsDegraded);
        Assert.Equal("Pulse degraded: the hanging event source is not answering (timed out). The bot keeps working; pulses resume when it is back.", Assert.Single(chat.Texts));
    }

    [Fact]
    public async Task RunDueAsync_Cancelled_ThrowsWithoutDegradedNotice()
    {
        using var t = TestStore.Create();
        var chat = new FakeChatSender();
        using var sut = CreateSut(new HangingSource(), chat, t.Time, Logins);
        using var cts = new CancellationTokenSource();

        var run = sut.RunDueAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(chat.Posts);
        Assert.False(sut.IsDegraded);
    }

    private static PulseService CreateSut(IEventSource source, FakeChatSender chat, TimeProvider time, params KpiOptions[] kpis) =>
        new(source, new ChatSenders([chat]), Options.Create(new PulseOptions { Kpis = [.. kpis], Channels = ["webchat:pulse"] }), time, TestStore.Logger<PulseService>());
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
