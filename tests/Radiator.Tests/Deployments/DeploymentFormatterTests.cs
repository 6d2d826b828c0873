using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Deployments;

namespace ChatOps.Radiator.Tests.Deployments;

public sealed class DeploymentFormatterTests
{
    [Fact]
    public void Format_FinishedAt_IsATimeEachPlatformShowsInItsOwnWay()
    {
        var finished = new DateTimeOffset(2026, 12, 6, 16, 31, 48, TimeSpan.Zero);

        var message = DeploymentFormatter.Format(new DeploymentEvent("run-1", "alice", "test", "up", "1.2", TimeSpan.FromSeconds(40), "succeeded", finished));

        var line = Assert.Single(message.Context);
        Assert.Equal("finished 2026-12-06 16:31 UTC", ChatTime.Plain(line));
        Assert.Equal([finished], ChatTime.Find(line).Select(t => t.At));
    }
}
