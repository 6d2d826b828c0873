using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>Confirmations expire on the host's clock, which here only moves when the test says so.</summary>
public sealed class ExpiryTests() : HostTest(new BotFactory(new FakeTimeProvider(TimeProvider.System.GetUtcNow())))
{
    private FakeTimeProvider Time => (FakeTimeProvider)Factory.Time!;

    [Fact]
    public async Task ExpiredConfirmation_IsRefused_AndNothingRuns()
    {
        var prompt = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env destroy dev"), m => m.Buttons.Count > 0);

        Time.Advance(TimeSpan.FromMinutes(6));
        // Refused either by the chat (the expiry sweep already removed the buttons) or by the decision itself.
        var press = await Chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));
        Assert.Contains(press.StatusCode, new[] { System.Net.HttpStatusCode.Accepted, System.Net.HttpStatusCode.Conflict });

        var expired = await Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("nobody answered in time")));
        Assert.Empty(expired.Buttons);
        var run = (await Chat.GetJsonAsync("/api/runs?env=dev"))[0];
        Assert.Equal("expired", run.GetProperty("status").GetString());
        var actions = (await Chat.GetJsonAsync("/api/audit?env=dev")).EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Equal(["requested", "expired"], actions);
    }
}
