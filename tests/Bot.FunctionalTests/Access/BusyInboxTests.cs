using System.Net;
using System.Net.Http.Json;
using ChatOps.Bot.FunctionalTests.Infrastructure;

namespace ChatOps.Bot.FunctionalTests.Access;

/// <summary>A command refused as "busy" (503) is not kept: it neither shows in the channel nor runs later.</summary>
public sealed class BusyInboxTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    // One waiting delivery fills the inbox; paused, nothing drains it.
    ["Inbound:Capacity"] = "1",
    ["Inbound:Paused"] = "true",
}))
{
    [Fact]
    public async Task PostMessage_InboxFull_Is503AndTheMessageIsNotKept()
    {
        var kept = await Chat.SayAsync("carol", "/env up dev");

        var refused = await Chat.Http.PostAsJsonAsync("/api/chat/messages", new { channel = "ops", user = "dave", text = "/env up test" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("busy", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal([kept], (await Chat.MessagesAsync()).Select(m => m.Id));
    }
}
