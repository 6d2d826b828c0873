using System.Net.Http.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests.Alerts;

/// <summary>An alert routed to two channels, and alerts right after a deployment, in the real host.</summary>
public sealed class AlertCopiesTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    ["Radiator:Alerts:Channels:0"] = "webchat:alerts",
    ["Radiator:Alerts:Channels:1"] = "webchat:oncall",
    ["WebChat:Channels:4"] = "oncall",
}))
{
    [Fact]
    public async Task Acknowledge_InOneChannel_EditsTheCopyInTheOther()
    {
        await PostAsync(new { fingerprint = "copies", status = "firing", title = "Payments failing", severity = "critical" });
        var first = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Payments failing")), channel: "alerts");
        var second = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Payments failing")), channel: "oncall");

        await Chat.PressAsync("dave", second.Id, second.Action("alert-ack:"), channel: "oncall");

        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == first.Id && m.Text.Contains("acknowledged by dave")), channel: "alerts");
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == second.Id && m.Text.Contains("acknowledged by dave")), channel: "oncall");
        // The note in the thread is a post of its own, queued beside the edits: it may come after them.
        await Chat.WaitForAsync(ms => ms.Single(m => m.Id == first.Id).Replies.FirstOrDefault(r => r.Text.Contains("acknowledged by dave")), channel: "alerts");
    }

    [Fact]
    public async Task AlertSoonAfterADeployment_SaysSo()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env provision dev version=3.2"), m => m.Text.Contains("runs version `3.2`"));
        await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("dev")), channel: "deploys");

        await PostAsync(new { fingerprint = "after-deploy", status = "firing", title = "Errors up on dev", labels = new { environment = "dev" } });

        var posted = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.User == "bot" && m.Text.Contains("Errors up on dev")), channel: "alerts");
        Assert.Contains(posted.Context, c => c.Contains("after provision of dev 3.2 by carol"));
    }

    private async Task PostAsync(object body)
    {
        var response = await Chat.Http.PostAsJsonAsync("/api/alerts", body, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode);
    }
}
