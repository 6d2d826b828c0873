using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Discord.Rest;

/// <summary>
/// Registers the application's commands with Discord (<c>discord-register</c>): the one REST call the host's
/// command line makes, so the REST client itself stays internal to the integration.
/// </summary>
public sealed class DiscordCommandRegistrar
{
    private readonly IDiscordRest _rest;
    private readonly IOptions<DiscordOptions> _options;

    internal DiscordCommandRegistrar(IDiscordRest rest, IOptions<DiscordOptions> options) => (_rest, _options) = (rest, options);

    /// <summary>What is missing before Discord can be asked at all (the application id and the bot token); empty when nothing is.</summary>
    public IReadOnlyList<string> MissingSettings()
    {
        var options = _options.Value;
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApplicationId))
        {
            missing.Add("Discord:ApplicationId is not set: commands belong to an application. Set Discord__ApplicationId from the developer portal's General Information page.");
        }

        if (string.IsNullOrWhiteSpace(options.BotToken))
        {
            missing.Add("Discord:BotToken is not set: Discord registers commands only for the bot's token. Set Discord__BotToken from the developer portal's Bot page.");
        }

        return missing;
    }

    /// <summary>
    /// <c>PUT</c> of every command, globally or in <paramref name="guildId"/>: Discord replaces what it held with
    /// <paramref name="commands"/> and answers what it now holds. Throws <see cref="DiscordApiException"/> when Discord refuses.
    /// </summary>
    public Task<JsonArray> OverwriteAsync(string? guildId, JsonArray commands, CancellationToken cancellationToken) =>
        _rest.BulkOverwriteApplicationCommandsAsync(guildId, commands, cancellationToken);
}
