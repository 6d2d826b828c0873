using ChatOps.Radiator.Alerts;
using ChatOps.Radiator.Events;

namespace ChatOps.Radiator.Tests.Alerts;

public sealed class AlertRuleEvaluatorTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Threshold_HeldForItsForDuration_FiresThenResolvesWhenItClears()
    {
        await using var kit = await AlertKit.StartAsync();
        var events = new ScriptedEventSource { Value = 120, Count = 10 };
        var rule = new AlertRuleOptions { Name = "errors", Key = "errors", Above = 100, For = TimeSpan.FromMinutes(2), Labels = { ["environment"] = "prod" } };
        var sut = new AlertRuleEvaluator(events, kit.Service, kit.Watch, Microsoft.Extensions.Options.Options.Create(kit.Options), kit.Time);

        Assert.True(await sut.EvaluateAsync(rule, Ct));
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await sut.EvaluateAsync(rule, Ct);
        Assert.Empty(await kit.AlertPostsAsync()); // pending, not yet for 2 minutes

        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await sut.EvaluateAsync(rule, Ct);
        var key = Assert.Single(await kit.AlertPostsAsync());
        Assert.Contains("`errors` is 120, above 100", (await kit.ShownAsync(key)).Text);

        events.Value = 50;
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await sut.EvaluateAsync(rule, Ct));
        Assert.Contains("resolved by rule", (await kit.ShownAsync(key)).Text);
    }

    [Fact]
    public async Task Threshold_ConditionBreaksBeforeFor_NeverFires()
    {
        await using var kit = await AlertKit.StartAsync();
        var events = new ScriptedEventSource { Value = 120, Count = 1 };
        var rule = new AlertRuleOptions { Name = "errors", Key = "errors", Above = 100, For = TimeSpan.FromMinutes(2) };
        var sut = new AlertRuleEvaluator(events, kit.Service, kit.Watch, Microsoft.Extensions.Options.Options.Create(kit.Options), kit.Time);

        await sut.EvaluateAsync(rule, Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        events.Value = 10;
        await sut.EvaluateAsync(rule, Ct);
        events.Value = 120;
        kit.Time.Advance(TimeSpan.FromMinutes(1.5));
        await sut.EvaluateAsync(rule, Ct);

        Assert.Empty(await kit.AlertPostsAsync());
    }

    [Fact]
    public async Task Spike_AgainstTheReferenceWindows_Fires()
    {
        await using var kit = await AlertKit.StartAsync();
        var events = new ScriptedEventSource { Value = 10, Count = 10, LastValue = 45 };
        var rule = new AlertRuleOptions { Name = "logins-spike", Kind = AlertRuleKind.Spike, Key = "logins", Factor = 4, ReferenceWindows = 5 };
        var sut = new AlertRuleEvaluator(events, kit.Service, kit.Watch, Microsoft.Extensions.Options.Options.Create(kit.Options), kit.Time);

        Assert.True(await sut.EvaluateAsync(rule, Ct));
        Assert.Equal(6, events.LastWindows);
        events.LastValue = 35;
        Assert.False(await sut.EvaluateAsync(rule, Ct));
    }

    [Fact]
    public async Task Flatline_NoEvents_FiresAndDataBackResolves()
    {
        await using var kit = await AlertKit.StartAsync();
        var events = new ScriptedEventSource { Count = 0, Value = null };
        var rule = new AlertRuleOptions { Name = "no-logins", Kind = AlertRuleKind.Flatline, Key = "logins", Window = TimeSpan.FromMinutes(5) };
        var sut = new AlertRuleEvaluator(events, kit.Service, kit.Watch, Microsoft.Extensions.Options.Options.Create(kit.Options), kit.Time);

        await sut.EvaluateAsync(rule, Ct);
        events.Count = 3;
        await sut.EvaluateAsync(rule, Ct);

        var alert = Assert.Single(await kit.Service.ListAsync(true, Ct));
        Assert.Equal(AlertStatus.Resolved, alert.Status);
        Assert.Contains("no `logins` events for 5 minutes", alert.Title);
    }

    private sealed class ScriptedEventSource : IEventSource
    {
        public string Name => "scripted";

        public double? Value { get; set; }

        public double? LastValue { get; set; }

        public long Count { get; set; }

        public int LastWindows { get; private set; }

        public Task<IReadOnlyList<Measurement>> MeasureAsync(KpiQuery query, IReadOnlyList<TimeWindow> windows, CancellationToken cancellationToken)
        {
            LastWindows = windows.Count;
            return Task.FromResult<IReadOnlyList<Measurement>>([.. windows.Select((w, i) =>
                new Measurement(w, Count, i == windows.Count - 1 && LastValue is not null ? LastValue : Value, null))]);
        }
    }
}
