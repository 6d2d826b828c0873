using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>The web chat API of a bot started as a real process, as the tests drive it.</summary>
public static class BotProcessChat
{
    extension(BotProcess bot)
    {
        public ChatApi Chat => new(bot.Http);
    }
}
