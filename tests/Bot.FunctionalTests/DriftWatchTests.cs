using System.Diagnostics;
using ChatOps.Bot.Environments;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Watch;
using ChatOps.TestCommon.Processes;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// The drift watch driven one look at a time (its own timer never fires here): what ends an incident
/// besides a recovery, and what is never drift.
/// </summary>
public sealed class DriftWatchTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    ["Watch:Interval"] = "01:00:00",
    ["Environments:dev:LoadBalancer"] = "None",
}))
{
    [Fact]
    public async Task CheckAsync_HaltedWhileDegraded_EndsTheIncidentInTheSameNoticeAndAnnouncesNoMore()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));
        KillNode("web1");
        await CheckDevAsync();
        var notice = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Text.Contains("*dev* degraded: web1 stopped responding")), channel: "deploys");

        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env halt dev"), m => m.Buttons.Count > 0);
        await Chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("is halted")));
        await CheckDevAsync();
        await CheckDevAsync();

        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == notice.Id && m.Text.Contains("no longer watched after halt by carol")), channel: "deploys");
        Assert.Single(await Chat.MessagesAsync("deploys"), m => m.Text.Contains("*dev*") && m.Text.Contains("web1"));
        Assert.Equal("halted", (await Chat.GetJsonAsync("/api/environments/dev")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task CheckAsync_EnvironmentNeverBroughtUp_IsNotDrift()
    {
        await CheckDevAsync();

        Assert.DoesNotContain(await Chat.MessagesAsync("deploys"), m => m.Text.Contains("degraded"));
        Assert.NotEqual("degraded", (await Chat.GetJsonAsync("/api/environments/dev")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task CheckAsync_HealthyEnvironment_StaysUpAndSilent()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up dev"), m => m.Text.Contains("is up"));
        await CheckDevAsync();

        Assert.Equal("up", (await Chat.GetJsonAsync("/api/environments/dev")).GetProperty("state").GetString());
        Assert.DoesNotContain(await Chat.MessagesAsync("deploys"), m => m.Text.Contains("degraded"));
    }

    private Task CheckDevAsync() =>
        Factory.Services.GetRequiredService<DriftWatcher>().CheckAsync(Factory.Services.GetRequiredService<EnvironmentCatalog>().Find("dev")!, TestContext.Current.CancellationToken);

    private void KillNode(string node)
    {
        var (processId, _, _) = ProcessScanner.Nodes(Factory.NodesRoot).Single(p => p.Environment == "dev" && p.Node == node);
        using var process = Process.GetProcessById(processId);
        process.Kill();
        process.WaitForExit(TimeSpan.FromSeconds(10));
    }
}
