using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>Confirmations expire on the host's clock, which here only moves when the test says so.</summary>
public sealed class ExpiryTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private BotFactory _factory = null!;
    private ChatApi _chat = null!;

    public ValueTask InitializeAsync()
    {
        _factory = new BotFactory(_time);
        _chat = _factory.Chat;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task ExpiredConfirmation_IsRefused_AndNothingRuns()
    {
        var prompt = await _chat.BotReplyAsync(await _chat.SayAsync("carol", "/env destroy dev"), m => m.Buttons.Count > 0);

        _time.Advance(TimeSpan.FromMinutes(6));
        // Refused either by the chat (the expiry sweep already removed the buttons) or by the decision itself.
        var press = await _chat.PressAsync("carol", prompt.Id, prompt.Action("confirm:"));
        Assert.Contains(press.StatusCode, new[] { System.Net.HttpStatusCode.Accepted, System.Net.HttpStatusCode.Conflict });

        var expired = await _chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == prompt.Id && m.Text.Contains("nobody answered in time")));
        Assert.Empty(expired.Buttons);
        var run = (await _chat.GetJsonAsync("/api/runs?env=dev"))[0];
        Assert.Equal("expired", run.GetProperty("status").GetString());
        var actions = (await _chat.GetJsonAsync("/api/audit?env=dev")).EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Equal(["requested", "expired"], actions);
    }
}
