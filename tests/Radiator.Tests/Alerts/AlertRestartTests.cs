using ChatOps.Radiator.Alerts;
using ChatOps.Radiator.Events;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>
/// What the rules and sources remember across a restart. A restart is modelled by new evaluator and
/// health objects over the same state store and outbox, as a new process would build them.
/// </summary>
public sealed class AlertRestartTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task EvaluateAsync_RestartMidFor_KeepsThePendingStart()
    {
        await using var kit = await AlertKit.StartAsync();
        var events = new ConstantEventSource(120);
        var rule = Rule(TimeSpan.FromMinutes(2));
        await Evaluator(kit, events).EvaluateAsync(rule, Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await Evaluator(kit, events).EvaluateAsync(rule, Ct);

        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await Evaluator(kit, events).EvaluateAsync(rule, Ct); // restarted: the condition has now held for 2 minutes

        var key = Assert.Single(await kit.AlertPostsAsync());
        Assert.Contains("`errors` is 120, above 100", (await kit.ShownAsync(key)).Text);
    }

    [Fact]
    public async Task EvaluateAsync_HostDownLongerThanTheWindow_StartsTheForAgain()
    {
        await using var kit = await AlertKit.StartAsync();
        var events = new ConstantEventSource(120);
        var rule = Rule(TimeSpan.FromMinutes(2));
        await Evaluator(kit, events).EvaluateAsync(rule, Ct);

        kit.Time.Advance(TimeSpan.FromMinutes(10));
        var restarted = Evaluator(kit, events);
        await restarted.EvaluateAsync(rule, Ct);
        Assert.Empty(await kit.AlertPostsAsync()); // nobody saw the condition hold while the host was down

        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await restarted.EvaluateAsync(rule, Ct);
        Assert.Empty(await kit.AlertPostsAsync());
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await restarted.EvaluateAsync(rule, Ct);
        Assert.Single(await kit.AlertPostsAsync());
    }

    [Fact]
    public async Task EvaluateAsync_ConditionClearedBeforeRestart_ForStartsAgain()
    {
        await using var kit = await AlertKit.StartAsync();
        var events = new ConstantEventSource(120);
        var rule = Rule(TimeSpan.FromMinutes(2));
        await Evaluator(kit, events).EvaluateAsync(rule, Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        events.Value = 10;
        await Evaluator(kit, events).EvaluateAsync(rule, Ct);

        events.Value = 120;
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await Evaluator(kit, events).EvaluateAsync(rule, Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await Evaluator(kit, events).EvaluateAsync(rule, Ct);

        Assert.Empty(await kit.AlertPostsAsync()); // held for 1 minute since it came back, not 3
    }

    [Fact]
    public async Task FailedAsync_RestartWhileDegraded_NoSecondDegradedNoticeAndTheRecoveredOneIsPosted()
    {
        await using var kit = await AlertKit.StartAsync();
        await kit.Health.FailedAsync("ecs", new HttpRequestException("503"), Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(1));

        var restarted = Health(kit);
        await restarted.FailedAsync("ecs", new HttpRequestException("503"), Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await restarted.FailedAsync("ecs", new HttpRequestException("503"), Ct);
        Assert.True(restarted.IsDegraded("ecs"));
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await restarted.SucceededAsync("ecs", null, Ct);
        await restarted.SucceededAsync("ecs", null, Ct);

        Assert.Single(await kit.NoticesAsync("degraded"));
        var recovered = Assert.Single(await kit.NoticesAsync("recovered"));
        Assert.Contains("recovered after 3 minutes", recovered); // counted from the outage's start, before the restart
        Assert.False(restarted.IsDegraded("ecs"));
    }

    [Fact]
    public async Task SucceededAsync_FirstReportAfterRestartWhileDegraded_PostsRecoveredOnce()
    {
        await using var kit = await AlertKit.StartAsync();
        await kit.Health.FailedAsync("rules:events", new InvalidOperationException("store locked"), Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(2));

        var restarted = Health(kit);
        await restarted.SucceededAsync("rules:events", null, Ct);
        await Health(kit).SucceededAsync("rules:events", null, Ct);

        Assert.Single(await kit.NoticesAsync("degraded"));
        Assert.Single(await kit.NoticesAsync("recovered"));
    }

    [Fact]
    public async Task FailedAsync_OutageRecordedButNoticeNotQueued_QueuesTheNoticeOnce()
    {
        await using var kit = await AlertKit.StartAsync();
        // A crash between recording the outage and queueing its notice.
        await kit.Watch.FailedAsync("ecs", kit.Time.GetUtcNow(), Ct);

        var restarted = Health(kit);
        await restarted.FailedAsync("ecs", new HttpRequestException("503"), Ct);
        await restarted.FailedAsync("ecs", new HttpRequestException("503"), Ct);
        await Health(kit).FailedAsync("ecs", new HttpRequestException("503"), Ct);

        Assert.Single(await kit.NoticesAsync("degraded"));
    }

    [Fact]
    public async Task SucceededAsync_CrashAfterTheRecoveredNoticeBeforeTheOutageClosed_PostsRecoveredOnce()
    {
        await using var kit = await AlertKit.StartAsync();
        var start = kit.Time.GetUtcNow();
        await kit.Health.FailedAsync("ecs", new HttpRequestException("503"), Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(2));
        await kit.Health.SucceededAsync("ecs", null, Ct);
        Assert.Single(await kit.NoticesAsync("recovered"));
        // The outage as it stood when the process died, after queueing "recovered" but before closing it.
        await kit.Watch.FailedAsync("ecs", start, Ct);
        await kit.Watch.NoticedAsync("ecs", start, Ct);

        kit.Time.Advance(TimeSpan.FromMinutes(1));
        var restarted = Health(kit);
        await restarted.SucceededAsync("ecs", null, Ct);

        Assert.Single(await kit.NoticesAsync("recovered")); // the same key again: the outbox already has it
        Assert.Single(await kit.NoticesAsync("degraded"));
        Assert.Null(await kit.Watch.OutageAsync("ecs", Ct));
        Assert.False(restarted.IsDegraded("ecs"));
    }

    [Fact]
    public async Task FailedAsync_SecondOutageAfterRecovery_PostsItsOwnNotices()
    {
        await using var kit = await AlertKit.StartAsync();
        await kit.Health.FailedAsync("ecs", new HttpRequestException("503"), Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await kit.Health.SucceededAsync("ecs", null, Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await Health(kit).FailedAsync("ecs", new HttpRequestException("503"), Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await Health(kit).SucceededAsync("ecs", null, Ct);

        Assert.Equal(2, (await kit.NoticesAsync("degraded")).Count);
        Assert.Equal(2, (await kit.NoticesAsync("recovered")).Count);
    }

    private static AlertRuleOptions Rule(TimeSpan @for) =>
        new() { Name = "errors", Key = "errors", Above = 100, For = @for, Labels = { ["environment"] = "prod" } };

    private static AlertRuleEvaluator Evaluator(AlertKit kit, IEventSource events) =>
        new(events, kit.Service, new AlertWatchStore(kit.Database), Microsoft.Extensions.Options.Options.Create(kit.Options), kit.Time);

    private static AlertSourceHealth Health(AlertKit kit) =>
        new(new AlertPublisher(kit.Outbox, kit.Store, kit.Routing, kit.Time), new AlertWatchStore(kit.Database),
            Microsoft.Extensions.Options.Options.Create(kit.Options), kit.Time);

    private sealed class ConstantEventSource(double value) : IEventSource
    {
        public string Name => "constant";

        public double Value { get; set; } = value;

        public Task<IReadOnlyList<Measurement>> MeasureAsync(KpiQuery query, IReadOnlyList<TimeWindow> windows, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Measurement>>([.. windows.Select(w => new Measurement(w, 10, Value, null))]);
    }
}
