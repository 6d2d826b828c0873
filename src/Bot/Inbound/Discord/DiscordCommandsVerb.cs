using System.Text.Json.Nodes;
using ChatOps.Bot.Commands;
using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Rest;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound.Discord;

/// <summary>
/// <c>discord-register [--guild ID]</c>: creates or overwrites the application's slash commands, built from the
/// <see cref="CommandCatalog"/> by <see cref="DiscordApplicationCommands"/>, globally or in one guild (a guild's
/// commands appear at once, global ones can take a while). Discord replaces the whole set, so running it twice leaves
/// what running it once did. Prints what Discord now holds. Exit codes: 0 registered, 1 Discord refused, 2 bad
/// arguments or settings.
/// </summary>
internal static class DiscordCommandsVerb
{
    public const string Name = "discord-register";

    private const int Refused = 1;
    private const int UsageError = 2;

    public static bool Matches(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(args, out var guildId, out var problem))
        {
            return await FailAsync(error, problem, usage: true);
        }

        try
        {
            _ = services.GetRequiredService<IOptions<DiscordOptions>>().Value;
        }
        catch (OptionsValidationException invalid)
        {
            return await FailAsync(error, string.Join(Environment.NewLine, invalid.Failures), usage: false);
        }

        var registrar = services.GetRequiredService<DiscordCommandRegistrar>();
        if (registrar.MissingSettings() is { Count: > 0 } missing)
        {
            return await FailAsync(error, string.Join(Environment.NewLine, missing), usage: false);
        }

        var commands = DiscordApplicationCommands.Build(services.GetRequiredService<CommandCatalog>());
        JsonArray registered;
        try
        {
            registered = await registrar.OverwriteAsync(guildId, commands, cancellationToken);
        }
        catch (DiscordApiException refused)
        {
            await error.WriteLineAsync($"Discord refused the commands: HTTP {(int)refused.StatusCode}{(refused.Code is { } code ? $", code {code}" : "")}: {refused.DiscordMessage}");
            foreach (var field in refused.FieldErrors)
            {
                await error.WriteLineAsync($"  {field}");
            }

            return Refused;
        }
        catch (HttpRequestException unreachable)
        {
            await error.WriteLineAsync($"Discord could not be reached: {unreachable.Message}");
            return Refused;
        }

        await output.WriteLineAsync($"Registered {registered.Count} commands {(guildId is null ? "globally (they can take a while to appear)" : $"in guild {guildId}")}:");
        foreach (var line in Describe(registered))
        {
            await output.WriteLineAsync(line);
        }

        return 0;
    }

    /// <summary>One line per command or subcommand, with its options as Discord shows them: <c>/env up env:</c>.</summary>
    internal static IEnumerable<string> Describe(JsonArray registered)
    {
        foreach (var command in registered.OfType<JsonObject>())
        {
            var name = command["name"]?.GetValue<string>();
            var options = command["options"] as JsonArray ?? [];
            var subcommands = options.OfType<JsonObject>().Where(o => o["type"]?.GetValue<int>() == 1).ToList();
            if (subcommands.Count == 0)
            {
                yield return $"  /{name}{Arguments(options)}";
                continue;
            }

            foreach (var subcommand in subcommands)
            {
                yield return $"  /{name} {subcommand["name"]?.GetValue<string>()}{Arguments(subcommand["options"] as JsonArray ?? [])}";
            }
        }
    }

    private static string Arguments(JsonArray options) =>
        string.Concat(options.OfType<JsonObject>().Select(o => o["required"]?.GetValue<bool>() == true ? $" {o["name"]}:" : $" [{o["name"]}:]"));

    private static bool TryParse(IReadOnlyList<string> args, out string? guildId, out string problem)
    {
        guildId = null;
        problem = "";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var (option, inline) = arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
            if (option != "--guild")
            {
                problem = $"Unknown argument '{arg}'.";
                return false;
            }

            var value = inline ?? (i + 1 < args.Count ? args[++i] : null);
            if (string.IsNullOrWhiteSpace(value) || !value.All(char.IsAsciiDigit) || value.Length > 20 || !ulong.TryParse(value, out _))
            {
                problem = $"--guild needs the guild's id, digits only (right-click the server with Developer Mode on, Copy Server ID); got '{value}'.";
                return false;
            }

            guildId = value;
        }

        return true;
    }

    private static async Task<int> FailAsync(TextWriter error, string message, bool usage)
    {
        await error.WriteLineAsync(message);
        if (usage)
        {
            await error.WriteLineAsync($"Usage: {Name} [--guild ID]");
        }

        return UsageError;
    }
}
