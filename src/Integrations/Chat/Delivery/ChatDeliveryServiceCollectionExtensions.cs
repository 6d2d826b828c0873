using ChatOps.Integrations.Metrics;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Delivery;

public static class ChatDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IChatOutbox"/>, its tables, the dispatcher that sends through
    /// <see cref="ChatSenders"/>, and <see cref="OutboxMetrics"/>. Options come from <c>ChatDelivery</c>.
    /// </summary>
    public static IServiceCollection AddChatOutbox(this IServiceCollection services)
    {
        services.AddOptions<ChatDeliveryOptions>().BindConfiguration(ChatDeliveryOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatDeliveryOptions>, ChatDeliveryOptionsValidator>());
        services.AddStateStore().AddStateSchema<OutboxSchema>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChatSenders>();
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<DestinationLimiter>();
        services.TryAddSingleton<IChatOutbox, ChatOutbox>();
        services.TryAddSingleton<OutboxMetrics>();
        services.AddPrometheusMetrics();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricsRefresher, OutboxMeter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChatOutboxDispatcher>());
        return services;
    }
}
