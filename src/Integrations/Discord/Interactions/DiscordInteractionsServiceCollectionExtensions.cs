using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Discord.Sending;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Integrations.Discord.Interactions;

public static class DiscordInteractionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the handling of interactions (both ways in share it) and the table of their tokens. The host
    /// supplies an <c>IDiscordCommandVocabulary</c> and the inbox.
    /// </summary>
    public static IServiceCollection AddDiscordInteractions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddStateStore().AddStateSchema<DiscordInteractionSchema>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiscordInteractionStore>();
        services.TryAddSingleton<IDiscordInteractionHandler, DiscordInteractionHandler>();
        return services;
    }

    /// <summary>
    /// Registers the <see cref="IChatSender"/> for <c>discord:</c> destinations; it needs the REST client
    /// (<c>IDiscordRest</c>), registered with the bot token.
    /// </summary>
    public static IServiceCollection AddDiscordSender(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddDiscordInteractions();
        services.TryAddSingleton<DiscordChatSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatSender, DiscordChatSender>(provider => provider.GetRequiredService<DiscordChatSender>()));
        return services;
    }
}
