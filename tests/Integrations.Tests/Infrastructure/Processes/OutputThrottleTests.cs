using ChatOps.Integrations.Infrastructure.Processes;
using ChatOps.TestCommon;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Infrastructure.Processes;

public sealed class OutputThrottleTests
{
    [Fact]
    public void Post_MoreThanLimitInOneWindow_ForwardsLimitAndReportsSkippedInNextWindow()
    {
        var clock = new FakeTimeProvider();
        var sent = new List<string>();
        var sut = new OutputThrottle(sent.Add, clock, maxLines: 3, TimeSpan.FromSeconds(1));

        for (var i = 1; i <= 10; i++)
        {
            sut.Post($"line {i}");
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        sut.Post("line 11");

        Assert.Equal(["line 1", "line 2", "line 3", "… 7 lines not shown", "line 11"], sent);
    }

    [Fact]
    public void Flush_AfterSkipping_ReportsCountOnce()
    {
        var sent = new List<string>();
        var sut = new OutputThrottle(sent.Add, new FakeTimeProvider(), maxLines: 1, TimeSpan.FromSeconds(1));
        sut.Post("a");
        sut.Post("b");

        sut.Flush();
        sut.Flush();

        Assert.Equal(["a", "… 1 line not shown"], sent);
    }
}
