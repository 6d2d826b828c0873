using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Teams.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Teams.Inbound;

internal static class TeamsInboundServiceCollectionExtensions
{
    /// <summary>Registers the inbound side: token validation, activities into the inbox, conversation references.</summary>
    public static IServiceCollection AddTeamsInbound(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(BotFrameworkSigningKeys.HttpClientName);
        services.TryAddSingleton<BotFrameworkSigningKeys>();
        services.TryAddSingleton<BotFrameworkTokenValidator>();
        services.AddStateStore().AddStateSchema<TeamsConversationSchema>();
        services.TryAddSingleton<TeamsConversationStore>();
        services.TryAddSingleton<ITeamsConversations>(sp => sp.GetRequiredService<TeamsConversationStore>());
        services.TryAddSingleton(sp => new TeamsHttpInbound(
            sp.GetRequiredService<BotFrameworkTokenValidator>(), sp.GetRequiredService<ITeamsConversations>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<TeamsHttpInbound>>()));
        services.TryAddSingleton(sp => new TeamsInvokeResponses(sp.GetRequiredService<OutboxStore>()));
        return services;
    }
}
