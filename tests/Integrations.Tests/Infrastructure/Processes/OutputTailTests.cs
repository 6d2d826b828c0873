using ChatOps.Integrations.Infrastructure.Processes;

namespace ChatOps.Integrations.Tests.Infrastructure.Processes;

public sealed class OutputTailTests
{
    [Fact]
    public void Snapshot_MoreLinesThanCapacity_KeepsLast()
    {
        var tail = new OutputTail(2);
        tail.Add("1");
        tail.Add("2");
        tail.Add("3");

        Assert.Equal(["2", "3"], tail.Snapshot());
    }

    [Fact]
    public void Add_ErrorLineReadBeforeLaterOutput_OutlivesTheOutputInArrivalOrder()
    {
        var tail = new OutputTail(3);
        tail.Add("1");
        tail.Add(new OutputLine(OutputStream.StandardError, "Error: quota exceeded"));
        tail.Add("2");
        tail.Add("3");
        tail.Add("4");

        Assert.Equal(["Error: quota exceeded", "3", "4"], tail.Snapshot());
    }

    [Fact]
    public void Add_OnlyErrorLines_KeepsTheLastOnes()
    {
        var tail = new OutputTail(2);
        foreach (var line in new[] { "e1", "e2", "e3" })
        {
            tail.Add(new OutputLine(OutputStream.StandardError, line));
        }

        Assert.Equal(["e2", "e3"], tail.Snapshot());
    }
}
