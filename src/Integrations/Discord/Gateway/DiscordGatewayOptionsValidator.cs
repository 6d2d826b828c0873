using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>The Gateway needs the bot token: it identifies with it.</summary>
internal sealed class DiscordGatewayOptionsValidator : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Gateway && string.IsNullOrWhiteSpace(options.BotToken)
            ? ValidateOptionsResult.Fail("Discord:Gateway is true but Discord:BotToken is not set: the Gateway identifies with the bot token. "
                + "Set Discord__BotToken from the Bot page of the application in the developer portal, or set Discord:Gateway to false.")
            : ValidateOptionsResult.Success;
    }
}
