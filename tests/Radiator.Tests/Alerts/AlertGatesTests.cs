using ChatOps.Radiator.Alerts;
using ChatOps.TestCommon;

namespace ChatOps.Radiator.Tests.Alerts;

public sealed class AlertGatesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnterAsync_SameGroupHeld_SecondWaitsUntilTheFirstLeaves()
    {
        using var gates = new AlertGates();
        var key = AlertGates.KeyOf("service=checkout", "fp-1");
        var first = await gates.EnterAsync(key, Token);

        var second = gates.EnterAsync(AlertGates.KeyOf("service=checkout", "fp-2"), Token);
        await Task.Yield();
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await Wait.ForAsync(second, "the second change of the group to enter")).Dispose();
    }

    [Fact]
    public async Task EnterAsync_OtherGroupsWhileOneIsHeld_EnterAtOnce()
    {
        using var gates = new AlertGates();
        var held = AlertGates.KeyOf("service=checkout", "fp-1");
        using var first = await gates.EnterAsync(held, Token);

        // Of 100 other groups, those on other gates than the held one enter while it is held.
        var others = Enumerable.Range(0, 100).Select(i => AlertGates.KeyOf($"service=s{i}", "fp")).ToList();
        var entered = 0;
        foreach (var key in others)
        {
            var entering = gates.EnterAsync(key, Token);
            if (entering.IsCompleted)
            {
                (await entering).Dispose();
                entered++;
            }
        }

        Assert.InRange(entered, 80, 100);
    }

    [Fact]
    public async Task EnterAllAsync_WaitsForEveryHeldGroup()
    {
        using var gates = new AlertGates();
        var one = await gates.EnterAsync(AlertGates.KeyOf("", "fp-1"), Token);

        var all = gates.EnterAllAsync(Token);
        await Task.Yield();
        Assert.False(all.IsCompleted);

        one.Dispose();
        (await Wait.ForAsync(all, "every gate")).Dispose();
        using var again = await gates.EnterAsync(AlertGates.KeyOf("", "fp-1"), Token);
    }

    [Fact]
    public void KeyOf_UngroupedAlertsAreKeyedByFingerprint_GroupedByGroup()
    {
        Assert.NotEqual(AlertGates.KeyOf("", "a"), AlertGates.KeyOf("", "b"));
        Assert.Equal(AlertGates.KeyOf("env=prod", "a"), AlertGates.KeyOf("env=prod", "b"));
    }
}
