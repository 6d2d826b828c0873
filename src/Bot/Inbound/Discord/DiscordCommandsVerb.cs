using System.Text.Json.Nodes;
using ChatOps.Bot.Cli;
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
internal sealed class DiscordCommandsVerb() : CliVerb(
    "discord-register",
    [Guild],
    "[--guild ID]",
    [
        "  Creates or overwrites the application's slash commands, built from the bot's commands; running it twice leaves what once did.",
        "  --guild  registers in that server only, where they appear at once. Default: globally, where Discord can take a while to show them.",
        "  Needs Discord:ApplicationId and Discord:BotToken.",
    ])
{
    private const int Refused = 1;

    private static readonly CliOption Guild = new(
        "--guild", "the guild's id, digits only (right-click the server with Developer Mode on, Copy Server ID)");

    protected override async Task<int> ExecuteAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var guildId = args.Value(Guild);
        if (guildId is not null && (!guildId.All(char.IsAsciiDigit) || guildId.Length > 20 || !ulong.TryParse(guildId, out _)))
        {
            return await RefuseArgumentsAsync(error, Guild.Refusal(guildId));
        }

        // What registering needs is named first: the other settings' checks may well follow from it.
        var configured = services.GetRequiredService<IConfiguration>().GetSection(DiscordOptions.SectionName).Get<DiscordOptions>() ?? new DiscordOptions();
        if (DiscordCommandRegistrar.MissingSettings(configured) is { Count: > 0 } unset)
        {
            return await RefuseSettingsAsync(error, unset);
        }

        try
        {
            _ = services.GetRequiredService<IOptions<DiscordOptions>>().Value;
        }
        catch (OptionsValidationException invalid)
        {
            return await RefuseSettingsAsync(error, invalid.Failures);
        }

        var registrar = services.GetRequiredService<DiscordCommandRegistrar>();

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

    /// <summary>Settings are not arguments: they are named without the usage.</summary>
    private static async Task<int> RefuseSettingsAsync(TextWriter error, IEnumerable<string> problems)
    {
        await error.WriteLineAsync(string.Join(Environment.NewLine, problems));
        return UsageError;
    }
}
