using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;
using ChatOps.TestCommon;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.Tests.Workflows;

public sealed class RunProgressTests
{
    private static RunProgress CreateSut(int tail = 3) => new([new RunStep("one", StepState.Pending), new RunStep("two", StepState.Pending)], new FakeTimeProvider(), tail);

    [Fact]
    public void ReturnUnsent_PutsLinesBackInFrontInOrder()
    {
        var sut = CreateSut();
        sut.Output("a");
        sut.Output("b");
        var taken = sut.TakeUnsent();
        sut.Output("c");

        sut.ReturnUnsent(taken);

        Assert.Equal(["a", "b", "c"], sut.TakeUnsent());
    }

    [Fact]
    public void Output_KeepsOnlyTheTail()
    {
        var sut = CreateSut(tail: 2);
        foreach (var line in new[] { "1", "2", "3" })
        {
            sut.Output(line);
        }

        Assert.Equal(["2", "3"], sut.Snapshot().Tail);
    }

    [Fact]
    public void FailRunningStep_MarksOnlyTheRunningOne()
    {
        var sut = CreateSut();
        sut.Step(0, StepState.Succeeded);
        sut.Step(1, StepState.Running);

        sut.FailRunningStep("boom");

        var steps = sut.Snapshot().Steps;
        Assert.Equal(StepState.Succeeded, steps[0].State);
        Assert.Equal((StepState.Failed, "boom"), (steps[1].State, steps[1].Detail));
    }
}
