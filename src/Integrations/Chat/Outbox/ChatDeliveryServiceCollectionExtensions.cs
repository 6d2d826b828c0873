using ChatOps.Integrations.Metrics;
using ChatOps.Integrations.Chat.Queue;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Storage.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Chat.Outbox;

public static class ChatDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IChatOutbox"/>, its tables, the queue worker that hands its rows to the
    /// <see cref="OutboxSender"/> (which sends through <see cref="ChatSenders"/>), and <see cref="OutboxMetrics"/>.
    /// Options come from <c>ChatDelivery</c>.
    /// </summary>
    public static IServiceCollection AddChatOutbox(this IServiceCollection services)
    {
        services.AddOptions<ChatDeliveryOptions>().BindConfiguration(ChatDeliveryOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatDeliveryOptions>, ChatDeliveryOptionsValidator>());
        services.AddStateStore().AddStateSchema<OutboxSchema>().AddStateSchema<DestinationPauseSchema>();
        // Claims carry the claiming replica's name, so another replica can release a dead one's; budgets are divided among the live ones.
        services.AddReplicas();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChatSenders>();
        services.TryAddSingleton<QueueSignal<OutboxWork>>();
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<DestinationPauseStore>();
        services.TryAddSingleton<DestinationLimiter>();
        services.TryAddSingleton<OutboxSender>();
        services.TryAddSingleton<IChatOutbox>(sp => new ChatOutbox(sp.GetRequiredService<OutboxStore>(), sp.GetRequiredService<QueueSignal<OutboxWork>>(),
            sp.GetServices<IChatLocalPoster>(), sp.GetRequiredService<IOptions<ChatDeliveryOptions>>().Value));
        services.TryAddSingleton<OutboxMetrics>();
        services.AddPrometheusMetrics();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricsRefresher, OutboxMeter>());
        services.TryAddSingleton(sp => new QueueWorker<ChatDestination, OutboxWork>(
            sp.GetRequiredService<OutboxStore>(), sp.GetRequiredService<OutboxSender>(), sp.GetRequiredService<QueueSignal<OutboxWork>>(),
            OutboxSender.Settings(sp.GetRequiredService<IOptions<ChatDeliveryOptions>>().Value), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<QueueWorker<ChatDestination, OutboxWork>>>(), sp.GetRequiredService<StoreNotifications>()));
        // A post or edit queued by another replica wakes this one's worker (PostgreSQL).
        services.AddStoreWakeup(OutboxStore.NotifyChannel, sp => sp.GetRequiredService<QueueSignal<OutboxWork>>().Notify);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, QueueWorker<ChatDestination, OutboxWork>>(
            sp => sp.GetRequiredService<QueueWorker<ChatDestination, OutboxWork>>()));
        return services;
    }
}
