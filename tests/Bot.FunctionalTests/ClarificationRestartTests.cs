using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>A "which environment?" question asked just before kill -9 is still answered by the reply after the restart.</summary>
public sealed class ClarificationRestartTests : IDisposable
{
    private readonly BotRoot _root = new("chatops-ask-");

    [Fact]
    public async Task QuestionAskedBeforeKill_AnswerAfterRestart_CompletesTheCommand()
    {
        await using (var bot = await BotProcess.StartAsync(_root.Path))
        {
            var question = await bot.Chat.BotReplyAsync(await bot.Chat.SayAsync("carol", "/env status"));
            Assert.Contains("Which environment", question.Text, StringComparison.Ordinal);
            bot.Kill();
        }

        await using var restarted = await BotProcess.StartAsync(_root.Path);
        var answer = await restarted.Chat.SayAsync("carol", "dev");

        var reply = await restarted.Chat.BotReplyAsync(answer);
        Assert.Contains("*dev*", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Type `help`", reply.Text, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _root.Dispose();
    }
}
