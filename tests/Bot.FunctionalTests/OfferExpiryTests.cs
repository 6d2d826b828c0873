using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>Offered buttons expire with their question, on the host's clock, which here only moves when the test says so.</summary>
public sealed class OfferExpiryTests() : HostTest(new BotFactory(new FakeTimeProvider(TimeProvider.System.GetUtcNow())))
{
    private FakeTimeProvider Time => (FakeTimeProvider)Factory.Time!;

    [Fact]
    public async Task PressAfterTheQuestionExpired_SaysSo_AndRunsNothing()
    {
        var question = await Chat.BotReplyAsync(await Chat.SayAsync("carol", "/env up"), m => m.Text.Contains("Which environment"));

        Time.Advance(TimeSpan.FromMinutes(11));
        await Chat.PressAsync("carol", question.Id, question.Buttons.Single(b => b.Label == "test").ActionId);

        var expired = await Chat.WaitForAsync(ms => ms.Single(m => m.Id == question.Id).Replies.FirstOrDefault(r => r.Text.Contains("that question expired")));
        Assert.Contains("Type `/env up test` to run it now", expired.Text);
        Assert.Empty((await Chat.GetJsonAsync("/api/runs")).EnumerateArray());
    }
}
