using ChatOps.Integrations.Discord;
using ChatOps.Integrations.Discord.Interactions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Bot.Inbound.Discord;

internal static class DiscordInboundServiceCollectionExtensions
{
    /// <summary>
    /// Discord in the host: the adapter (<c>Discord:*</c>), the interaction handling both ways in share, told about
    /// the command catalog by <see cref="DiscordCommandVocabulary"/>, and, once the application is configured (a
    /// public key or a bot token), the sender for <c>discord:</c> destinations. Map the endpoint with
    /// <see cref="DiscordEndpoints.MapDiscord"/>.
    /// </summary>
    public static IServiceCollection AddDiscordInbound(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddDiscord();
        services.AddDiscordInteractions();
        services.TryAddSingleton<IDiscordCommandVocabulary, DiscordCommandVocabulary>();
        var configured = configuration.GetSection(DiscordOptions.SectionName).Get<DiscordOptions>() ?? new DiscordOptions();
        if (configured.Enabled || !string.IsNullOrWhiteSpace(configured.BotToken))
        {
            services.AddDiscordSender();
        }

        return services;
    }
}
