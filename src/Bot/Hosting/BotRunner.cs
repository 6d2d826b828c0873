using System.Reflection;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Hosting;

/// <summary>
/// Runs the bot as a process: what the person starting it can fix (a refused setting, a data folder it cannot
/// use) is said on stderr in a line or two with exit code <see cref="CannotStart"/>, never as a stack trace.
/// </summary>
internal static class BotRunner
{
    /// <summary>Exit code when the configuration is refused or the data folder cannot be used.</summary>
    public const int CannotStart = 2;

    /// <summary>
    /// Checks every validated options section and that the state store can be created and written, before
    /// anything listens, then serves until stopped.
    /// </summary>
    public static async Task<int> RunBotAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (await ConfigurationProblemsAsync(app) || await StorageProblemAsync(app) || await ReplicaProblemAsync(app))
        {
            return CannotStart;
        }

        await app.RunAsync();
        return 0;
    }

    private static async Task<bool> ConfigurationProblemsAsync(WebApplication app)
    {
        // Only as the process's own entry point: under a test host (WebApplicationFactory) the host must start
        // and fail as usual, so the test sees the exception rather than an entry point that quietly returned.
        try
        {
            if (Assembly.GetEntryAssembly() == typeof(BotRunner).Assembly)
            {
                app.Services.GetService<IStartupValidator>()?.Validate();
            }

            return false;
        }
        catch (Exception e) when (Failures(e) is { Count: > 0 } failures)
        {
            await Console.Error.WriteLineAsync("The bot cannot start; its configuration has problems:");
            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync($"  - {failure}");
            }

            return true;
        }
    }

    /// <summary>
    /// A data folder that is read-only, full or not a folder, a database server that cannot be reached, or a state
    /// store migrated by a newer build, is named with the problem.
    /// </summary>
    private static async Task<bool> StorageProblemAsync(WebApplication app)
    {
        var database = app.Services.GetRequiredService<StateDatabase>();
        try
        {
            await database.InitializeAsync(CancellationToken.None);
            await database.CheckWritableAsync(CancellationToken.None);
            return false;
        }
        catch (Exception e) when (DescribeStorage(database, e) is { } problem)
        {
            await Console.Error.WriteLineAsync(database.DataFolder is { } folder
                ? $"chatops: cannot use the data folder {folder} (state store {Path.GetFileName(database.DataSource)}): {problem}."
                : $"chatops: cannot use the state store {database.DataSource}: {problem}.");
            return true;
        }
    }

    /// <summary>A replica name that a live replica already holds is named, with the holder; nothing else starts.</summary>
    private static async Task<bool> ReplicaProblemAsync(WebApplication app)
    {
        try
        {
            await app.Services.GetRequiredService<ReplicaHeartbeat>().RegisterAsync(CancellationToken.None);
            return false;
        }
        catch (ReplicaNameInUseException e)
        {
            await Console.Error.WriteLineAsync($"The bot cannot start: {e.Message}");
            return true;
        }
    }

    private static List<string> Failures(Exception e) => e switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException all when all.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures)],
        _ => [],
    };

    private static string? DescribeStorage(StateDatabase database, Exception exception) =>
        database.FaultOf(exception) is { } fault
            ? fault.Reason
            : exception switch
            {
                SchemaTooNewException tooNew => tooNew.Message,
                // Creating the folder: a path through a file, or a folder this user may not write.
                UnauthorizedAccessException or IOException => exception.Message.TrimEnd('.'),
                _ => null,
            };
}
