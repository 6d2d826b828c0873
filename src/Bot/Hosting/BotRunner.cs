using System.Reflection;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Hosting;

public static class BotRunner
{
    /// <summary>Exit code when the configuration is refused.</summary>
    public const int BadConfiguration = 2;

    /// <summary>
    /// Checks every validated options section before anything listens, then serves until stopped. A refused
    /// configuration is one line per problem on stderr and exit code 2: the person starting the bot needs the
    /// setting to fix, not a stack trace.
    /// </summary>
    public static async Task<int> RunBotAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Only as the process's own entry point: under a test host (WebApplicationFactory) the host must start
        // and fail as usual, so the test sees the exception rather than an entry point that quietly returned.
        try
        {
            if (Assembly.GetEntryAssembly() == typeof(BotRunner).Assembly)
            {
                app.Services.GetService<IStartupValidator>()?.Validate();
            }
        }
        catch (Exception e) when (Failures(e) is { Count: > 0 } failures)
        {
            await Console.Error.WriteLineAsync("The bot cannot start; its configuration has problems:");
            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync($"  - {failure}");
            }

            return BadConfiguration;
        }

        return await app.RunCheckedAsync();
    }

    private static List<string> Failures(Exception e) => e switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException all when all.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures)],
        _ => [],
    };
}
