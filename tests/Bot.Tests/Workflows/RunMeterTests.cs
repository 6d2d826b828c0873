using System.Diagnostics.Metrics;
using ChatOps.Bot.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class RunMeterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunFinishedAsync_AnnouncedRun_CountedOnceByKindAndEnd()
    {
        await using var state = await TestState.CreateAsync();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var finished = new MetricCollector<long>(factory, RunMeter.MeterName, "chatops_runs_finished");
        var run = await RunObserversTests.FinishedRunAsync(state);

        await state.Observers(new RunMeter(factory)).NotifyAsync(run, Ct);
        await state.Observers(new RunMeter(factory)).CatchUpAsync(Ct);

        var measurement = Assert.Single(finished.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("up", measurement.Tags["kind"]);
        Assert.Equal("succeeded", measurement.Tags["outcome"]);
    }
}
