using System.Net.Http.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>The radiator inside the host: runs reach #deploys, ingested events reach #pulse on /pulse.</summary>
public sealed class RadiatorWiringTests : HostTest
{
    [Fact]
    public async Task FinishedRun_IsPostedToDeploys()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env provision dev version=3.1"), m => m.Text.Contains("runs version `3.1`"));

        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("dev")), channel: "deploys");

        Assert.Contains("carol", posted.Text);
        Assert.Contains("3.1", posted.Text);
    }

    [Fact]
    public async Task PulseCommand_PostsFromIngestedEvents()
    {
        var now = TimeProvider.System.GetUtcNow();
        var events = Enumerable.Range(0, 120).Select(i => new { timestamp = now.AddSeconds(-i * 5 - 1).ToString("O"), key = "logins", value = 1 }).ToList();
        var ingest = await Chat.Http.PostAsJsonAsync("/api/events", events, TestContext.Current.CancellationToken);
        Assert.True(ingest.IsSuccessStatusCode, await ingest.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var reply = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/pulse"), m => m.Text.Contains("pulse"));

        Assert.Contains("to the pulse channels", reply.Text);
        var pulse = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("logins")), channel: "pulse");
        Assert.Contains("logins", pulse.Text);
    }
}
