using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class InterruptedStepsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reconcile_UpCutShort_StepsShowWhatWasFound()
    {
        RunStep[] steps = [new("Start web1", StepState.Succeeded), new("Start web2", StepState.Running), new("Check health", StepState.Pending), new("Update the load balancer", StepState.Pending)];
        var found = new EnvironmentObservation(ObservedState.Partial, [new NodeObservation("web1", NodeHealth.Healthy, Version: "7"), new NodeObservation("web2", NodeHealth.Stopped)]);

        var reconciled = InterruptedSteps.Reconcile(steps, found, Now);

        Assert.Equal(steps[0], reconciled[0]);
        Assert.Equal(new RunStep("Start web2", StepState.Failed, "after the restart web2 was found stopped", EndedAt: Now), reconciled[1]);
        Assert.Equal(new RunStep("Check health", StepState.Skipped, "not run: the bot restarted"), reconciled[2]);
        Assert.Equal(StepState.Skipped, reconciled[3].State);
    }

    [Fact]
    public void Reconcile_NodeAdoptedHealthy_ItsPendingStartIsDone()
    {
        var found = new EnvironmentObservation(ObservedState.Up, [new NodeObservation("web1", NodeHealth.Healthy, Version: "7")]);

        var step = InterruptedSteps.Reconcile([new RunStep("Start web1", StepState.Pending)], found, Now).Single();

        Assert.Equal(StepState.Succeeded, step.State);
        Assert.Equal("after the restart web1 was found running and healthy, version 7", step.Detail);
    }

    [Fact]
    public void Reconcile_HaltCutShort_StopIsDoneOnlyForAStoppedNode()
    {
        var found = new EnvironmentObservation(ObservedState.Partial, [new NodeObservation("web1", NodeHealth.Stopped), new NodeObservation("web2", NodeHealth.Healthy)]);

        var steps = InterruptedSteps.Reconcile([new RunStep("Stop web1", StepState.Running), new RunStep("Stop web2", StepState.Pending)], found, Now);

        Assert.Equal([StepState.Succeeded, StepState.Failed], steps.Select(s => s.State));
    }

    [Fact]
    public void Reconcile_NothingObserved_UnfinishedStepsSayTheyDidNotRun()
    {
        var steps = InterruptedSteps.Reconcile([new RunStep("Start web1", StepState.Running), new RunStep("Check health", StepState.Pending)], null, Now);

        Assert.Equal([StepState.Failed, StepState.Skipped], steps.Select(s => s.State));
        Assert.DoesNotContain(steps, s => s.State == StepState.Pending);
    }
}
