using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Inbound;

public static class InboundServiceCollectionExtensions
{
    /// <summary>
    /// The durable inbox (<c>Inbound:*</c>) and its worker, which hands kept deliveries to the
    /// <see cref="ChatDispatcher"/> once the readiness gate opens. Needs the state store.
    /// </summary>
    public static IServiceCollection AddInbound(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InboxOptions>, InboxOptionsValidator>());
        services.AddStateSchema<InboxSchema>();
        services.TryAddSingleton<InboxStore>();
        services.TryAddSingleton<ChatReplies>();
        services.TryAddSingleton<ChatDispatcher>();
        services.TryAddSingleton<IInboundHandler>(sp => sp.GetRequiredService<ChatDispatcher>());
        services.TryAddSingleton<InboundQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<InboundQueue>());
        return services;
    }
}
